// The API every entry exports: the wasm-bindgen exports of the Rust
// bindings (src/bindings/), re-exported by name so that an entry shows
// nothing else of the glue. `#wasm` is the glue of the entry's loader,
// resolved by scripts/build.mjs.
import {
  ZoomPasswordClient as WasmClient,
  freedClientError,
  checkPassword,
  passwordCheckLines,
  validatePasswordCode,
} from '#wasm';

export {
  buildRequest,
  checkBreachedPassword,
  classifyResponse,
  generatePassword,
  isZoomPasswordError,
  updatePassword,
} from '#wasm';

/** Clients whose wasm memory free() released. */
const freed = new WeakSet();

/**
 * The Rust class, with one addition only JS can make: after `free()`,
 * wasm-bindgen's glue passes a null handle, which the wasm refuses with an
 * untyped "null pointer passed to rust". Here every method of a freed
 * client rejects with the ZoomPasswordError (`invalid_options`) the Rust
 * side makes, and a second `free()` does nothing.
 *
 * A call runs its first step before it returns (src/bindings/task.rs), and
 * the glue holds the client's Rust value borrowed the while. A token
 * function (or a replaced fetch) that frees the client then would make the
 * glue throw from inside the wasm ("attempted to take ownership of Rust
 * value while it was borrowed"), which left the instance trapping on its
 * next call: so a `free()` during one of the client's own calls releases
 * the memory in a microtask, once the call has returned.
 */
export class ZoomPasswordClient extends WasmClient {
  free() {
    if (freed.has(this)) return;
    freed.add(this);
    if (inCall.has(this)) queueMicrotask(() => super.free());
    else super.free();
  }
}
/** Clients with one of their calls still running its first step: how many. */
const inCall = new WeakMap();
for (const name of Object.getOwnPropertyNames(WasmClient.prototype)) {
  const method = Object.getOwnPropertyDescriptor(WasmClient.prototype, name).value;
  if (typeof method !== 'function' || name === 'constructor' || name === 'free' || name.startsWith('__')) continue;
  Object.defineProperty(ZoomPasswordClient.prototype, name, {
    value(...args) {
      if (freed.has(this)) return Promise.reject(freedClientError());
      inCall.set(this, (inCall.get(this) ?? 0) + 1);
      try {
        return method.apply(this, args);
      } finally {
        const depth = inCall.get(this) - 1;
        if (depth > 0) inCall.set(this, depth);
        else inCall.delete(this);
      }
    },
    writable: true,
    configurable: true,
  });
}
if (Symbol.dispose) ZoomPasswordClient.prototype[Symbol.dispose] = ZoomPasswordClient.prototype.free;

/*
 * validatePassword: the rules run in Rust (src/core/password.rs), in one
 * call that takes the password and the policy's four values and answers a
 * number (`report_code` there says its bits); the report's objects are made
 * here from it and the lines Rust gives once. Making them in Rust cost 74
 * wasm-to-JS crossings per call (README, Performance). Whatever the quick
 * call cannot take as it is goes to validatePasswordCode, which reads the
 * inputs as every other call does and throws the typed error.
 */
const NEEDS_FULL_READING = 0xffffffff;
const POLICY_FIELDS = ['minimum_password_length', 'consecutive_characters_length', 'have_special_character', 'weak_enhance_detection'];
let checkLines;

const absent = (value) => value === undefined || value === null;

/** The code for a password and policy read as they are, or NEEDS_FULL_READING. */
function quickCode(password, policy) {
  if (typeof password !== 'string') return NEEDS_FULL_READING;
  if (absent(policy)) return checkPassword(password, 0, 0, 0);
  if (typeof policy !== 'object') return NEEDS_FULL_READING;
  const values = [];
  try {
    for (const name of POLICY_FIELDS) {
      const value = policy[name];
      // A value from a prototype is the full reading's to judge (it ignores
      // Object.prototype's, which pollution could have set).
      if (value !== undefined && !Object.hasOwn(policy, name)) return NEEDS_FULL_READING;
      values.push(value);
    }
  } catch {
    return NEEDS_FULL_READING;
  }
  const [minimum, consecutive, special, weak] = values;
  const number = (value) => absent(value) || typeof value === 'number';
  const boolean = (value) => absent(value) || typeof value === 'boolean';
  if (!number(minimum) || !number(consecutive) || !boolean(special) || !boolean(weak)) return NEEDS_FULL_READING;
  const flags = (special ? 1 : 0) | (weak ? 2 : 0) | (absent(minimum) ? 0 : 4) | (absent(consecutive) ? 0 : 8);
  return checkPassword(password, absent(minimum) ? 0 : minimum, absent(consecutive) ? 0 : consecutive, flags);
}

/** The report a code stands for (`report_from_code` in src/core/password.rs does the same, tested). */
function reportOf(code) {
  checkLines ??= passwordCheckLines();
  const lines = [0, 1 + ((code >>> 12) & 7), 8, 9, 10, 11, 12, 13 + ((code >>> 15) & 7)];
  if ((code >>> 10) & 1) lines.push(19);
  if ((code >>> 11) & 1) lines.push(20);
  const checks = [];
  const violations = [];
  for (let bit = 0; bit < lines.length; bit++) {
    const { rule, zoomCode, message } = checkLines[lines[bit]];
    const passed = ((code >>> bit) & 1) === 1;
    checks.push({ rule, passed, zoomCode, message });
    if (!passed) violations.push({ rule, passed, zoomCode, message });
  }
  return { valid: violations.length === 0, checks, violations };
}

export function validatePassword(password, policy) {
  const code = quickCode(password, policy);
  return reportOf(code === NEEDS_FULL_READING ? validatePasswordCode(password, policy) : code);
}
