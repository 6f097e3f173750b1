// zoom-password check: a password from standard input against the rules and the policy.

import { validatePassword } from '../node.mjs';
import {
  EXIT_FAILED, EXIT_OK, UsageError, breachCheckOption, policyFor, printChecklist, queryBreach, readPassword, withBreach,
} from './shared.mjs';

export async function commandCheck(positionals, values, io) {
  if (positionals.length !== 0) throw new UsageError('check takes no arguments (the password comes from standard input)');
  const policy = await policyFor(values, io);
  const breachCheck = breachCheckOption(values);
  const password = await readPassword(io);
  let report;
  try {
    report = validatePassword(password, policy);
  } catch (error) {
    throw new UsageError(error.message);
  }
  if (breachCheck) report = withBreach(report, await queryBreach(password, values));
  if (values.json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else printChecklist(report, io.stdout);
  return report.valid ? EXIT_OK : EXIT_FAILED;
}
