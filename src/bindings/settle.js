// Awaiting a promise from Rust (settle.rs): one `then` whose two handlers
// call the module's one settle callback with the await's slot. From Rust
// the same took two `bind`s and the `then`, three crossings of the
// boundary per await instead of one.

/** `promise.then(v => onSettled(slot, true, v), e => onSettled(slot, false, e))`. */
export function settleInto(promise, onSettled, slot) {
  promise.then((value) => onSettled(slot, true, value), (reason) => onSettled(slot, false, reason));
}
