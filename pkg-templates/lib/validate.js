// validatePassword(password, policy?), and reading a policy object.
import * as wasm from '#wasm';
import { result } from './errors.js';
import { Options, given, text } from './options.js';

const MODE_REPORT = 0;
const MODE_FAILURE_ONLY = 1;
const MODE_POLICY_ONLY = 2;

/** The basic rules: no account policy. */
export const BASIC_POLICY = [0, 0, false, false];

/**
 * Zoom's `security.password_requirement`, exactly as the API returns it, as
 * the core's four arguments (range-checked now). Missing fields take the
 * basic value; unknown fields are ignored.
 */
export function readPolicy(value) {
  if (!given(value)) return BASIC_POLICY;
  const bag = new Options(value, 'policy', 'policy.');
  const policy = [
    bag.number('minimum_password_length') ?? 0,
    bag.number('consecutive_characters_length') ?? 0,
    bag.boolean('have_special_character') ?? false,
    bag.boolean('weak_enhance_detection') ?? false,
  ];
  result(wasm.validate('', ...policy, MODE_POLICY_ONLY));
  return policy;
}

export function readPassword(value) {
  return text(value, 'invalid_password', 'password');
}

/** Checks a password against Zoom's basic rules and, if given, the account policy. */
export function validatePassword(password, policy) {
  const checked = readPassword(password);
  return result(wasm.validate(checked, ...readPolicy(policy), MODE_REPORT));
}

/** Throws `invalid_password` (with violations) unless `password` passes. */
export function checkPassword(password, policy) {
  result(wasm.validate(password, ...policy, MODE_FAILURE_ONLY));
}
