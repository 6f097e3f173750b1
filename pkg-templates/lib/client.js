// ZoomPasswordClient: one configuration (token, base URL, retry, timeout,
// encoding) and one pacer shared by every call made through it.
import * as wasm from '#wasm';
import { fail, result } from './errors.js';
import { Options, given, isObject, pageUrl, property, text } from './options.js';
import { TokenSource } from './token.js';
import { Transport } from './transport.js';
import { PasswordChange } from './update.js';
import { updatePasswords } from './bulk.js';

/** Words of the core's pacer state (src/pacer.rs `Pacer::to_array`). */
const PACER_WORDS = 3;

export class ZoomPasswordClient {
  #transport;

  /** `{ accessToken | tokenProvider, baseUrl?, retry?, timeoutMs?, requestsPerSecond?, encoding? }`. */
  constructor(options) {
    const bag = new Options(options, 'options', '');
    const accessToken = bag.present('accessToken');
    const provider = bag.present('tokenProvider');
    let token;
    if (accessToken !== undefined && provider === undefined) {
      token = TokenSource.read(accessToken);
    } else if (accessToken === undefined && provider !== undefined) {
      if (typeof provider !== 'function') throw fail('invalid_options', 'tokenProvider', 'tokenProvider must be a function.');
      token = TokenSource.read(provider);
    } else {
      throw fail('invalid_options', 'accessToken', 'Give exactly one of accessToken (a token or a function) and tokenProvider.');
    }
    const transport = Transport.fromOptions(bag, new Transport(token));
    // Refuse a bad baseUrl now rather than on every call.
    result(wasm.checkTransport(transport.baseUrl, pageUrl(), undefined));
    const rate = bag.number('requestsPerSecond');
    if (rate !== undefined) {
      transport.pacer = new Float64Array(PACER_WORDS);
      result(wasm.pacerNew(transport.pacer, rate));
    }
    this.#transport = transport;
  }

  /**
   * Changes one user's password; `options` may override the client's
   * settings for this call and add `policy`, `validate` and `signal`.
   */
  async updatePassword(userId, password, options) {
    const bag = optionalBag(options);
    const change = new PasswordChange(userId, password, PasswordChange.settings(bag));
    const transport = bag === undefined ? this.#transport : Transport.fromOptions(bag, this.#transport);
    return change.run(transport);
  }

  /**
   * Changes many users' passwords, paced and bounded by `concurrency`;
   * resolves `{ results, succeeded, failed, skipped }` in input order.
   */
  async updatePasswords(items, options) {
    return updatePasswords(this.#transport, items, options);
  }

  /**
   * The account's `security.password_requirement`, as Zoom sends it; `{}`
   * for a free account (Zoom answers "Only available for paid accounts").
   */
  async fetchPasswordPolicy(accountId, options) {
    const id = given(accountId) ? text(accountId, 'invalid_options', 'accountId') : 'me';
    const bag = optionalBag(options);
    const transport = bag === undefined ? this.#transport : Transport.fromOptions(bag, this.#transport);
    const { url } = result(wasm.settingsUrl(id, transport.baseUrl, pageUrl()));
    const outcome = await transport.execute('GET', url, undefined, false, true);
    if (outcome.paidOnly) return {};
    let settings;
    try {
      settings = JSON.parse(outcome.body ?? '');
    } catch {
      settings = undefined;
    }
    if (!isObject(settings)) {
      throw fail('unexpected_response', undefined, 'The account settings answer is not the JSON object Zoom sends.');
    }
    const requirement = property(property(settings, 'security'), 'password_requirement');
    return isObject(requirement) ? requirement : {};
  }

  /** Kept for compatibility: a client no longer holds wasm memory, so there is nothing to release. */
  free() {}
}

function optionalBag(options) {
  return given(options) ? new Options(options, 'options', '') : undefined;
}
