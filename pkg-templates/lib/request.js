// buildRequest(options): the request updatePassword would send.
import * as wasm from '#wasm';
import { result } from './errors.js';
import { Options, pageUrl, text } from './options.js';
import { readPassword } from './validate.js';

export function buildRequest(options) {
  const bag = new Options(options, 'options', '');
  const userId = text(bag.get('userId'), 'invalid_user_id', 'userId');
  const password = readPassword(bag.get('password'));
  const accessToken = text(bag.get('accessToken'), 'invalid_options', 'accessToken');
  const baseUrl = bag.string('baseUrl');
  const encoding = bag.string('encoding');
  return result(wasm.buildRequest(userId, password, accessToken, baseUrl, encoding, pageUrl()));
}
