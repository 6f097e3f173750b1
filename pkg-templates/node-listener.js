// createNodeListener(handler): a `node:http` request listener for a fetch
// handler such as createPasswordProxy's. JS because only JS can do it: it
// turns Node's IncomingMessage into a `Request` and the `Response` back.
// Written here rather than taken from @hono/node-server, whose
// getRequestListener bundles to 20.8 KB minified (7.7 KB gzip) and would
// be the package's first runtime dependency: this is all the proxy needs,
// in 40 lines (1.3 KB minified).
//
// `new Request` resolves `.` and `..` segments and refuses some methods
// (TRACE, CONNECT); the request-target and method as they arrived are
// passed beside the Request, so the proxy refuses them itself, by the same
// rules as every other request.
const RAW_TARGET = Symbol.for('zoom-password.rawTarget');
const RAW_METHOD = Symbol.for('zoom-password.rawMethod');
/** Methods `new Request` refuses to carry. */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/**
 * node:stream's Readable, loaded on the first createNodeListener call, not
 * at import: loading node:stream took 1.1-1.7 ms of every process's
 * start-up (a fresh Node 20, five runs), also where no listener is made.
 * (This file is bundled into the CommonJS entry, where `require` is the
 * module's own.)
 */
let Readable;

export function createNodeListener(handler) {
  if (typeof handler !== 'function') throw new TypeError('createNodeListener(handler): handler must be a fetch handler, such as createPasswordProxy(...)');
  Readable ??= require('node:stream').Readable;
  return (req, res) => {
    const failed = () => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end('{"code":500,"message":"Internal error."}');
    };
    try {
      const method = FORBIDDEN_METHODS.has(req.method) ? 'GET' : req.method;
      const origin = `${req.socket?.encrypted ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
      let url;
      try {
        url = new URL(req.url, origin);
      } catch {
        url = new URL('/', 'http://localhost');
      }
      const headers = new Headers();
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
      const controller = new AbortController();
      // The request's signal says the client went away before its answer
      // was written; after that nothing listens. Aborting on every close
      // made a DOMException and ran the Request's abort steps each time:
      // 40 us of the proxy's ~1,600 us of CPU per request (Node 20).
      res.on('close', () => {
        if (!res.writableFinished) controller.abort();
      });
      const body = method === 'GET' || method === 'HEAD' ? undefined : Readable.toWeb(req);
      const request = new Request(url, { method, headers, body, duplex: 'half', signal: controller.signal });
      Promise.resolve(handler(request, { [RAW_TARGET]: req.url, [RAW_METHOD]: req.method }))
        .then(async (response) => {
          const bytes = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
          const headers = Object.fromEntries(response.headers);
          if (bytes) headers['content-length'] = String(bytes.length);
          res.writeHead(response.status, headers);
          res.end(bytes);
        })
        .catch(failed);
    } catch {
      failed();
    }
  };
}
