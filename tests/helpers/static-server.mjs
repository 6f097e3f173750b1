// A minimal static file server for browser tests: maps URL prefixes to
// folders and serves .wasm as application/wasm.

import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** mounts: { '/prefix/': '/abs/folder' }; extra: optional (req, res) => boolean handler tried first. */
export async function startStaticServer(mounts, extra) {
  const server = createServer(async (req, res) => {
    if (extra && (await extra(req, res))) return;
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    for (const [prefix, folder] of Object.entries(mounts)) {
      if (!path.startsWith(prefix)) continue;
      const file = normalize(join(folder, path.slice(prefix.length) || 'index.html'));
      if (!file.startsWith(normalize(folder) + sep) && file !== normalize(folder)) break;
      try {
        const body = await readFile(file.endsWith(sep) ? join(file, 'index.html') : file);
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        res.end(body);
        return;
      } catch {
        break;
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }) };
}
