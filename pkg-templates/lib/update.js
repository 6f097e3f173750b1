// updatePassword(options), and the password change a client runs for
// client.updatePassword(userId, password, options).
import * as wasm from '#wasm';
import { isZoomPasswordError, result } from './errors.js';
import { Options, pageUrl, text } from './options.js';
import { Transport } from './transport.js';
import { BASIC_POLICY, checkPassword, readPassword, readPolicy } from './validate.js';

export async function updatePassword(options) {
  const bag = new Options(options, 'options', '');
  const userId = bag.get('userId');
  const password = bag.get('password');
  const transport = Transport.fromOptions(bag, undefined);
  return new PasswordChange(userId, password, PasswordChange.settings(bag)).run(transport);
}

/** One password change, its inputs checked. */
export class PasswordChange {
  /** `policy`, `validate` and `maybeApplied` from an option object (read once for a whole bulk run). */
  static settings(bag) {
    if (bag === undefined) return { policy: BASIC_POLICY, validate: true, maybeApplied: false };
    return {
      policy: readPolicy(bag.get('policy')),
      validate: bag.boolean('validate') ?? true,
      maybeApplied: bag.boolean('maybeApplied') ?? false,
    };
  }

  constructor(userId, password, { policy, validate, maybeApplied }) {
    this.userId = text(userId, 'invalid_user_id', 'userId');
    this.password = readPassword(password);
    this.policy = policy;
    this.validate = validate;
    /** An earlier run may already have sent this change (a resumed bulk run). */
    this.maybeApplied = maybeApplied;
  }

  /** Validates, then sends `PUT .../users/{userId}/password` through `transport`. */
  async run(transport) {
    const { url } = result(wasm.passwordUrl(this.userId, transport.baseUrl, pageUrl()));
    try {
      if (this.validate) checkPassword(this.password, this.policy);
      const outcome = await transport.execute('PUT', url, this.password, this.maybeApplied);
      return { userId: this.userId, attempts: outcome.attempts, alreadySet: outcome.alreadySet === true };
    } catch (error) {
      if (isZoomPasswordError(error)) error.userId = this.userId;
      throw error;
    }
  }
}
