// The objects this package makes for JS (fetch's init and headers, a JSON
// body, results, errors' fields, a token function's hint), built by
// definition, never by assignment: `init.body = form` or
// `headers.Authorization = token` on a fresh object would call a setter
// planted on Object.prototype with the password or the token
// (tests/package/secrets.test.mjs). An object literal and
// Object.defineProperty define; they call no setter.

/** `object[name] = value`, as a data property defined on `object` itself. */
export function defineData(object, name, value) {
  define(object, name, value);
}


/** `{ method, headers, redirect: "manual", signal[, body] }`, headers given as name/value pairs (a name may be undefined). */
export function requestInit(method, signal, body, name1, value1, name2, value2, name3, value3) {
  // Object literals define their properties, computed keys too: as safe as
  // Object.defineProperty, which took 1.5 us of an updatePassword call
  // (29.6 us under the profiler, with the result's three) and no longer
  // shows in its profile (Node 20).
  const headers = name1 === undefined ? {}
    : name2 === undefined ? { [name1]: value1 }
      : name3 === undefined ? { [name1]: value1, [name2]: value2 }
        : { [name1]: value1, [name2]: value2, [name3]: value3 };
  return body === undefined
    ? { method, headers, redirect: 'manual', signal }
    : { method, headers, redirect: 'manual', signal, body };
}

/**
 * buildRequest's `{ method, url, headers, encoding, fields }`, as literals
 * (see requestInit): it carries the token and the password, and filled by
 * assignment (as serde-wasm-bindgen fills an object) it handed both to a
 * setter planted on Object.prototype (tests/package/secrets.test.mjs).
 */
export function preparedRequest(method, url, authorization, accept, contentType, encoding, password) {
  const headers = contentType === undefined
    ? { Authorization: authorization, Accept: accept }
    : { Authorization: authorization, Accept: accept, 'Content-Type': contentType };
  return { method, url, headers, encoding, fields: { password } };
}

/** What `updatePassword` resolves, as a literal (see requestInit). */
export function updateResult(userId, attempts, alreadySet) {
  return { userId, attempts, alreadySet };
}

function define(object, name, value) {
  Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * The status of what `fetch` resolved to, if it is an object whose `status`
 * is a number, else -1 (a getter that throws throws: the binding is
 * `catch`). Asked from Rust, the object check, the read and the number
 * check were three crossings per answer.
 */
export function responseStatus(value) {
  if (value === null || typeof value !== 'object') return -1;
  const status = value.status;
  return typeof status === 'number' ? status : -1;
}

/**
 * `Bearer ${token}`, joined here from the caller's own JS string: made in
 * Rust it was copied out of wasm memory through TextDecoder once more per
 * call. (Rust has checked the token's characters first.)
 */
export function bearer(token) {
  return `Bearer ${token}`;
}

/** `{"password": ...}` as JSON text. */
export function jsonPasswordBody(password) {
  return JSON.stringify({ password });
}
