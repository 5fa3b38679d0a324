/**
 * Links the desktop app may hand to the system browser (`shell.openExternal`): https only, to the hosts
 * of the docs and the papers the app cites. Anything else is refused and logged — a compromised page
 * must not be able to launch arbitrary URLs or schemes (file:, smb:, custom protocol handlers).
 */
export const EXTERNAL_HOSTS: readonly string[] = [
  'arxiv.org',
  'openreview.net',
  'proceedings.mlr.press',
  'openaccess.thecvf.com',
  'papers.nips.cc',
  'proceedings.neurips.cc',
  'yann.lecun.com',
  'projector.tensorflow.org',
  'www.tensorflow.org',
  'js.tensorflow.org',
  'onnx.ai',
  'pytorch.org',
  'www.electronjs.org',
];

/** True when `url` is https on an allowlisted host (or a subdomain of one) with no credentials in it. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return false;
  const host = parsed.hostname.toLowerCase();
  return EXTERNAL_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}
