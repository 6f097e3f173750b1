// Reading the caller's option objects: duck-typed, one property at a time
// (as lol-html's js-api does). A property counts if the object or its class
// has it, never if it comes from Object.prototype (a polluted prototype
// cannot inject a baseUrl or a policy); a throwing getter or Proxy trap
// becomes an `invalid_options` error, never an escape.
import { fail } from './errors.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `value` is neither `undefined` nor `null`: how JS says "given". */
export const given = (value) => value !== undefined && value !== null;

export const isObject = (value) => typeof value === 'object' && value !== null;

/** A string that survives UTF-8 unchanged (no lone surrogate), or undefined. */
export function wellFormed(value) {
  return typeof value === 'string' && !LONE_SURROGATE.test(value) ? value : undefined;
}

/**
 * `target[key]` for objects this library reads but did not make (a
 * Response, an error a caller threw, a signal): a failed read is "absent".
 */
export function property(target, key) {
  if (!isObject(target)) return undefined;
  try {
    return target[key];
  } catch {
    return undefined;
  }
}

/** `value` as text, or a failure of `kind` naming `prefix` + `field`. */
export function text(value, kind, field, prefix = '') {
  if (typeof value !== 'string') throw fail(kind, field, `${prefix}${field} must be a string.`);
  if (LONE_SURROGATE.test(value)) {
    throw fail(kind, field, `${prefix}${field} must be well-formed Unicode (it has a lone surrogate).`);
  }
  return value;
}

/** The properties of one option object. */
export class Options {
  /** `value` must be a non-null object; `name` is how messages call it. */
  constructor(value, name, prefix) {
    if (!isObject(value)) throw fail('invalid_options', name, `${name} must be an object.`);
    this.object = value;
    this.prefix = prefix;
  }

  /** Own or class property, never one inherited from Object.prototype. */
  get(field) {
    let holder = this.object;
    try {
      // Prototype chains are finite, but a Proxy can fake an endless one.
      for (let depth = 0; depth < 32; depth++) {
        if (!isObject(holder) || holder === Object.prototype) return undefined;
        if (Reflect.getOwnPropertyDescriptor(holder, field) !== undefined) return Reflect.get(this.object, field);
        holder = Reflect.getPrototypeOf(holder);
      }
    } catch {
      // Reported below.
    }
    throw fail('invalid_options', field, `Reading option ${this.prefix}${field} failed.`);
  }

  /** The property, `undefined` when absent (`undefined` or `null`). */
  present(field) {
    const value = this.get(field);
    return given(value) ? value : undefined;
  }

  string(field, kind = 'invalid_options') {
    const value = this.present(field);
    return value === undefined ? undefined : text(value, kind, field, this.prefix);
  }

  boolean(field) {
    return this.typed(field, 'boolean', 'a boolean');
  }

  number(field) {
    return this.typed(field, 'number', 'a number');
  }

  typed(field, type, what) {
    const value = this.present(field);
    if (value === undefined || typeof value === type) return value;
    throw fail('invalid_options', field, `${this.prefix}${field} must be ${what}.`);
  }
}

/** The page's URL in a browser or worker (so "/zoom/v2" names a same-origin proxy); undefined in Node. */
export function pageUrl() {
  return wellFormed(property(property(globalThis, 'location'), 'href'));
}
