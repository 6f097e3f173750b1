// The one place a ZoomPasswordError is made. The core writes every failure
// as `{"error": {...fields, message}}` (src/output.rs); this turns it into a
// real `Error` named "ZoomPasswordError" with those fields.
import * as wasm from '#wasm';

/** Errors a caller's token function threw, passed on as they are. */
export const passedThrough = new WeakSet();

/** A ZoomPasswordError from the core's fields (`message` included). */
export function toError(fields, cause) {
  const { message, ...rest } = fields;
  const error = new Error(message);
  Object.assign(error, rest);
  if (cause !== undefined) {
    // Non-enumerable, as `new Error(message, { cause })` makes it.
    Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  }
  return error;
}

/** The value of a core call's JSON, or its `error` thrown. */
export function result(json) {
  const value = JSON.parse(json);
  if (value.error !== undefined) throw toError(value.error);
  return value;
}

/** A failure found on this side (an option of the wrong type, say). */
export function fail(kind, field, message, cause) {
  return toError(JSON.parse(wasm.failure(kind, field, message, 0)).error, cause);
}

/**
 * `e instanceof Error && e.name === "ZoomPasswordError"` with a string
 * `kind`: true for errors from any copy of this module.
 */
export function isZoomPasswordError(value) {
  try {
    return value instanceof Error && value.name === 'ZoomPasswordError' && typeof value.kind === 'string';
  } catch {
    // A Proxy whose traps throw is not one of ours.
    return false;
  }
}
