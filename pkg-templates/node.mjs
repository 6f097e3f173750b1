// zoom-password for Node's `import`: the CommonJS entry itself, loaded with
// `require`, so that `import` and `require` in one process share one wasm
// instance. Through `require` rather than `import ... from './node.cjs'`:
// Node then skips its CommonJS export lexer and the namespace translation,
// about 5 ms of start-up (import to first result, median of 15 fresh
// processes: 22.7 -> 17.8 ms). The names below are node.cjs's exports,
// written in by scripts/build.mjs, which checks them.
import { createRequire } from 'node:module';

const node = createRequire(import.meta.url)('./node.cjs');

export const { NODE_CJS_EXPORTS } = node;
export default node.default;
