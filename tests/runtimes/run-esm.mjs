// ESM runner (Node, Deno, Bun): `<runtime> run-esm.mjs <mockOrigin> <tag>`.
import * as api from 'zoom-password';
import { smoke } from './smoke.mjs';

const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);
const [mockOrigin, tag] = args;
console.log(JSON.stringify(await smoke(api, { mockOrigin, tag })));
