/** Serving the built renderer: only files inside `root`, with content types and a strict CSP. */
import { createReadStream, fstat, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, relative, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Headers on every response, errors included: the token in the URL never leaves in a Referer. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/**
 * Same policy as the Electron window (see window.ts), plus the WebSocket back to this page's own
 * origin only (`wsOrigin`, e.g. `ws://127.0.0.1:5870`): no other host, no other scheme.
 */
export function serverCsp(wsOrigin: string): string {
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ${wsOrigin}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
}

/** Resolve a URL path to a file under root, or undefined when it escapes root or does not exist. */
export function resolveStatic(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const wanted = decoded === '/' || decoded === '' ? '/index.html' : decoded;
  const file = normalize(join(root, wanted));
  const rel = relative(root, file);
  if (rel.startsWith('..') || rel.includes(`..${sep}`) || rel === '') return undefined;
  try {
    if (statSync(file).isFile()) return file;
  } catch {
    // fall through: not found
  }
  return undefined;
}

/**
 * Stream one file. The file is opened before the status line goes out, so a file that vanished or
 * cannot be read is a 404/500 rather than a hang; a read error mid-stream ends the response early.
 */
export function sendFile(res: ServerResponse, file: string, wsOrigin: string, headOnly = false): void {
  const stream = createReadStream(file);
  res.on('close', () => stream.destroy());
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const missing = err.code === 'ENOENT' || err.code === 'EISDIR';
    res.writeHead(missing ? 404 : 500, { 'content-type': 'text/plain' }).end(missing ? 'not found\n' : 'cannot read this file\n');
  });
  const fail = (status: 404 | 500): void => {
    stream.destroy();
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 404 ? 'not found\n' : 'cannot read this file\n');
  };
  stream.once('open', (fd: number) => {
    // What was opened may no longer be the regular file resolveStatic saw (replaced by a folder).
    fstat(fd, (err, stat) => {
      if (err) return fail(500);
      if (!stat.isFile()) return fail(404);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': serverCsp(wsOrigin),
        'cache-control': 'no-store',
      });
      if (headOnly) {
        stream.destroy();
        res.end();
        return;
      }
      stream.pipe(res);
    });
  });
}
