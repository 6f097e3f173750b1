// The test app as a Cloudflare Worker (bundled as wrangler bundles it):
// the mock's URLs come from the environment's bindings.
import * as api from 'zoom-password';
import { testApp } from './app.mjs';

let app;
export default {
  fetch(request, env) {
    app ??= testApp(api, { zoomBaseUrl: env.ZOOM_BASE_URL, rangeUrl: env.RANGE_URL });
    return app(request);
  },
};
