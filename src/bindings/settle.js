// Awaiting a promise from Rust (settle.rs): one `then` whose two handlers
// call the module's one settle callback with the await's slot. From Rust
// the same took two `bind`s and the `then`, three crossings of the
// boundary per await instead of one. `Promise.resolve` is here too (a
// replaced `fetch` may answer anything; a native promise passes through):
// one crossing less per `fetch`.

/** `Promise.resolve(value).then(v => onSettled(slot, true, v), e => onSettled(slot, false, e))`. */
export function settleInto(value, onSettled, slot) {
  Promise.resolve(value).then((value) => onSettled(slot, true, value), (reason) => onSettled(slot, false, reason));
}

// A call's promise (task.rs): made only when its first poll is pending,
// settled from Rust by the task's number. An array indexed by the numbers
// task.rs reuses, so it stays as long as the most calls ever in flight.
const resolvers = [];

/** A new promise whose resolvers wait under `task`. */
export function pendingPromise(task) {
  return new Promise((resolve, reject) => {
    resolvers[task] = [resolve, reject];
  });
}

/** Resolves (fulfilled) or rejects the promise waiting under `task`. */
export function settlePromise(task, fulfilled, value) {
  const pair = resolvers[task];
  resolvers[task] = undefined;
  if (pair !== undefined) pair[fulfilled ? 0 : 1](value);
}
