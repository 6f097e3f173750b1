// zoom-password for Node's `import`: the CommonJS entry itself, so that
// `import` and `require` in one process share one wasm instance.
import node from './node.cjs';

export * from './node.cjs';
export default node.default;
