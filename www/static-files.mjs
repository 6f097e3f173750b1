// Serves files from folders mapped to URL prefixes, for the demo server and
// the browser tests. Paths cannot escape their folder; .wasm is served as
// application/wasm so WebAssembly.instantiateStreaming works.

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
  '.ts': 'text/plain; charset=utf-8',
};

/** mounts: { '/prefix/': '/abs/folder' }. Returns (req, res) => Promise<boolean> (true if served). */
export function staticFiles(mounts) {
  const entries = Object.entries(mounts).map(([prefix, folder]) => [prefix, normalize(folder)]);
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return false;
    }
    for (const [prefix, folder] of entries) {
      if (!path.startsWith(prefix)) continue;
      let file = normalize(join(folder, path.slice(prefix.length)));
      if (file !== folder && !file.startsWith(folder + sep)) return false;
      if (path.endsWith('/')) file = join(file, 'index.html');
      try {
        const body = await readFile(file);
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
        return true;
      } catch {
        return false;
      }
    }
    return false;
  };
}
