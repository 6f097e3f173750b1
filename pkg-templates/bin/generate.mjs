// zoom-password generate: one password the policy accepts.

import { generatePassword } from '../node.mjs';
import { EXIT_OK, UsageError, generateOptions, policyFor } from './shared.mjs';

export async function commandGenerate(positionals, values, io) {
  if (positionals.length !== 0) throw new UsageError('generate takes no arguments');
  const policy = await policyFor(values, io);
  io.stdout.write(`${generatePassword(policy, generateOptions(values))}\n`);
  return EXIT_OK;
}
