// A Cloudflare Worker using the package, bundled as wrangler bundles it
// (esbuild, conditions workerd/worker/browser, the .wasm kept as a module).
import * as api from 'zoom-password';
import { smoke } from './smoke.mjs';

export default {
  async fetch(request) {
    const url = new URL(request.url);
    const out = await smoke(api, { mockOrigin: url.searchParams.get('mock'), tag: url.searchParams.get('tag') });
    return Response.json(out);
  },
};
