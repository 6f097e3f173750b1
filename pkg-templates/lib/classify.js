// classifyResponse({ status, body, headers }), and reading response headers.
import * as wasm from '#wasm';
import { fail, result } from './errors.js';
import { Options, given, isObject, property, wellFormed } from './options.js';

export function classifyResponse(response) {
  const bag = new Options(response, 'response', 'response.');
  const status = bag.number('status');
  if (status === undefined) {
    throw fail('invalid_options', 'status', 'response.status must be an integer from 0 to 999.');
  }
  const body = bag.string('body') ?? '';
  const header = headerReader(bag.get('headers'));
  if (header === undefined) {
    throw fail('invalid_options', 'headers', 'response.headers must be a Headers or a plain object.');
  }
  return result(wasm.classify(status, body, header('retry-after'), header('x-ratelimit-type'), Date.now()));
}

const absent = () => undefined;

/**
 * A function from a lower-case header name to its text, for a `Headers`
 * (anything with `get`) or a plain object with names in any case; values
 * may be strings, numbers or arrays, and unreadable ones count as absent.
 * `undefined` when `value` is neither.
 */
export function headerReader(value) {
  if (!given(value)) return absent;
  if (!isObject(value)) return undefined;
  const get = property(value, 'get');
  if (typeof get === 'function') {
    return (name) => {
      try {
        return headerText(get.call(value, name));
      } catch {
        return undefined;
      }
    };
  }
  return (name) => {
    try {
      const key = Reflect.ownKeys(value).find((k) => typeof k === 'string' && k.toLowerCase() === name);
      return key === undefined ? undefined : headerText(value[key]);
    } catch {
      return undefined;
    }
  };
}

function headerText(value) {
  // `{ "Retry-After": 5 }`: whole seconds written as a number.
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 0xffffffff ? String(value) : undefined;
  if (Array.isArray(value)) return headerText(value[0]);
  return wellFormed(value);
}
