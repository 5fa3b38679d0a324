/**
 * Browser-mode access control: a per-launch random token (in the printed URL, then an HttpOnly
 * SameSite=Strict cookie), a Host-header check against DNS rebinding and an Origin check on the
 * WebSocket upgrade against cross-site hijacking. Both checks hold on every bind address.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { TOKEN_COOKIE, TOKEN_PARAM } from '../../shared/constants';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === TOKEN_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The token presented by a request (query parameter first, then cookie), if any. */
export function presentedToken(req: IncomingMessage, url: URL): string | undefined {
  return url.searchParams.get(TOKEN_PARAM) ?? cookieToken(req);
}

export function hasValidToken(req: IncomingMessage, url: URL, token: string): boolean {
  const given = presentedToken(req, url);
  return given !== undefined && safeEqual(given, token);
}

export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** A wildcard bind address: every interface of the machine listens. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/** `host` as it appears in a URL (IPv6 literals in brackets), lower case. */
export function urlHost(host: string): string {
  const h = host.toLowerCase();
  return h.includes(':') && !h.startsWith('[') ? `[${h}]` : h;
}

/** Every address of this machine's interfaces plus its host name: what a wildcard bind can be reached as. */
export function machineAddresses(): string[] {
  const out = [hostname()];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) out.push(info.address.split('%')[0] ?? info.address);
  }
  return out;
}

/**
 * Host names a request may address, as `host:port`: the loopback names, the host explicitly bound,
 * and — only when a wildcard (0.0.0.0, ::) is bound — the machine's own addresses and host name.
 * Binding to the network never switches the check off: anything else is a foreign Host or Origin.
 */
export function allowedHosts(boundHost: string, port: number, addresses: () => string[] = machineAddresses): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '::1']);
  if (isWildcardHost(boundHost)) for (const a of addresses()) names.add(a);
  else names.add(boundHost);
  const out = new Set<string>();
  for (const name of names) {
    out.add(`${urlHost(name)}:${port}`);
    // Browsers leave the default port out of Host and Origin.
    if (port === 80) out.add(urlHost(name));
  }
  return out;
}

export function isAllowedHost(req: IncomingMessage, hosts: Set<string>): boolean {
  return req.headers.host !== undefined && hosts.has(req.headers.host.toLowerCase());
}

/** A WebSocket upgrade must come from a page of this server (or a non-browser client without Origin). */
export function isAllowedOrigin(req: IncomingMessage, hosts: Set<string>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return hosts.has(new URL(origin).host.toLowerCase());
  } catch {
    return false;
  }
}
