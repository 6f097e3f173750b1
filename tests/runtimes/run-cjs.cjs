// CommonJS runner (Node): `node run-cjs.cjs <mockOrigin> <tag>`.
const api = require('zoom-password');

const [mockOrigin, tag] = process.argv.slice(2);
import('./smoke.mjs')
  .then(({ smoke }) => smoke(api, { mockOrigin, tag }))
  .then((out) => console.log(JSON.stringify(out)));
