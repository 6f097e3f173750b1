// A throwaway static server for browser tests, on top of the demo's
// static-file handler.

import { createServer } from 'node:http';

import { staticFiles } from '../../www/static-files.mjs';

/** mounts: { '/prefix/': '/abs/folder' }; extra: optional (req, res) => boolean handler tried first. */
export async function startStaticServer(mounts, extra) {
  const serve = staticFiles(mounts);
  const server = createServer(async (req, res) => {
    if (extra && (await extra(req, res))) return;
    if (await serve(req, res)) return;
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }) };
}
