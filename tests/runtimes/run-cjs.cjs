// CommonJS runner (Node): `node run-cjs.cjs <mockOrigin> <tag>`.
const api = require('zoom-password');

const [mockOrigin, tag] = process.argv.slice(2);
Promise.all([import('./smoke.mjs'), import('zoom-password')])
  .then(([{ smoke }, imported]) => smoke(api, { mockOrigin, tag }).then((out) => ({ ...out, sharedInstance: imported.ZoomPasswordClient === api.ZoomPasswordClient })))
  .then((out) => console.log(JSON.stringify(out)));
