// zoom-password set <userId>: one user's password, from standard input.

import { ZoomPasswordClient, isZoomPasswordError, validatePassword } from '../node.mjs';
import {
  EXIT_FAILED, EXIT_OK, UsageError, breachCheckOption, describe, flagMessage, policyFor, positiveNumber,
  printChecklist, queryBreach, readPassword, redactedRequest, verifiedCredentials, withBreach,
} from './shared.mjs';

export async function commandSet(positionals, values, io) {
  if (positionals.length !== 1) throw new UsageError('set takes exactly one <userId> (the password comes from standard input)');
  const [userId] = positionals;
  const breachCheck = breachCheckOption(values);
  const token = await verifiedCredentials(io.env, { required: !values['dry-run'] || values.policy === 'account' });
  const policy = await policyFor(values, io, token);
  const password = await readPassword(io, { confirm: true });
  if (values['dry-run']) {
    let report = validatePassword(password, policy);
    if (breachCheck && report.valid) report = withBreach(report, await queryBreach(password, values));
    const request = redactedRequest(userId, password, values['base-url'], values.encoding);
    io.stdout.write(values.json ? `${JSON.stringify({ valid: report.valid, request })}\n` : `${request.method} ${request.url}\n${JSON.stringify(request, null, 2)}\n`);
    if (!report.valid && !values.json) printChecklist(report, io.stderr);
    return report.valid ? EXIT_OK : EXIT_FAILED;
  }
  const client = new ZoomPasswordClient({ accessToken: token, baseUrl: values['base-url'], timeoutMs: values.timeout && positiveNumber(values.timeout, '--timeout', { integer: true }), encoding: values.encoding });
  try {
    const result = await client.updatePassword(userId, password, { policy, breachCheck });
    io.stdout.write(values.json
      ? `${JSON.stringify({ ok: true, ...result })}\n`
      : `Password updated for ${result.userId} (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}${result.alreadySet ? ', already set by an earlier attempt' : ''}).\n`);
    return EXIT_OK;
  } catch (error) {
    if (isZoomPasswordError(error) && ['invalid_options', 'invalid_user_id'].includes(error.kind)) throw new UsageError(flagMessage(error));
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ ok: false, userId, error: { kind: error.kind, status: error.status, zoomCode: error.zoomCode, message: error.message, violations: error.violations ?? [] } })}\n`);
    } else {
      io.stderr.write(`Not changed: ${describe(error)}\n`);
      for (const violation of error.violations ?? []) io.stderr.write(`  ✗ ${violation.message}\n`);
    }
    return EXIT_FAILED;
  }
}
