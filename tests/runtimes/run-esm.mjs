// ESM runner (Node, Deno, Bun): `<runtime> run-esm.mjs <mockOrigin> <tag>`.
import { createRequire } from 'node:module';

import * as api from 'zoom-password';
import { smoke } from './smoke.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [mockOrigin, tag] = args;
// `require` in the same process must give the very same module instance.
const required = createRequire(import.meta.url)('zoom-password');
const sharedInstance = required.ZoomPasswordClient === api.ZoomPasswordClient;
console.log(JSON.stringify({ ...(await smoke(api, { mockOrigin, tag })), sharedInstance }));
