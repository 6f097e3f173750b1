// `<runtime> serve.mjs <zoomBaseUrl> <rangeUrl>`: serves the test app with
// the runtime's own server (Deno.serve, Bun.serve, or Node's http through
// createNodeListener) on a free loopback port, and prints its origin.
import * as api from 'zoom-password';
import { testApp } from './app.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [zoomBaseUrl, rangeUrl] = args;
const app = testApp(api, { zoomBaseUrl, rangeUrl });

if (globalThis.Deno) {
  const server = globalThis.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, app);
  console.log(`http://127.0.0.1:${server.addr.port}`);
} else if (globalThis.Bun) {
  const server = globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app });
  console.log(`http://127.0.0.1:${server.port}`);
} else {
  const { createServer } = await import('node:http');
  const server = createServer(api.createNodeListener(app));
  server.listen(0, '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
}
