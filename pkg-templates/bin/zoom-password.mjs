#!/usr/bin/env node
// zoom-password: change Zoom passwords from a terminal or a script. One
// module per command beside shared.mjs; bundled into pkg/bin/ at build time
// (csv-parse included), so the published package has no runtime
// dependencies. Passwords never come from argv and are never printed;
// tokens neither.

import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

import { isZoomPasswordError } from '../node.mjs';
import { commandBulk } from './bulk.mjs';
import { commandCheck } from './check.mjs';
import { commandGenerate } from './generate.mjs';
import { COMMAND_HELP, HELP } from './help.mjs';
import { commandSet } from './set.mjs';
import {
  BreachCheckFailed, CredentialsFailed, EXIT_FAILED, EXIT_OK, EXIT_USAGE, PARSE_OPTIONS, UsageError, describe, flagMessage,
} from './shared.mjs';

export async function main(argv, io) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: PARSE_OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`zoom-password: ${error.message}\n\n${HELP}\n`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    const { version } = createRequire(import.meta.url)('../package.json');
    io.stdout.write(`${version}\n`);
    return EXIT_OK;
  }
  if (values.help && COMMAND_HELP[command]) {
    io.stdout.write(`${COMMAND_HELP[command]}\n`);
    return EXIT_OK;
  }
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr).write(`${HELP}\n`);
    return values.help ? EXIT_OK : EXIT_USAGE;
  }
  const commands = { set: commandSet, check: commandCheck, bulk: commandBulk, generate: commandGenerate };
  try {
    if (!commands[command]) throw new UsageError(`unknown command ${command}`);
    if (values.encoding && !['multipart', 'json'].includes(values.encoding)) throw new UsageError('--encoding must be multipart or json');
    return await commands[command](rest, values, io);
  } catch (error) {
    if (error instanceof BreachCheckFailed || error instanceof CredentialsFailed) {
      io.stderr.write(`zoom-password: ${error.message}\n`);
      return EXIT_FAILED;
    }
    if (error instanceof UsageError || (isZoomPasswordError(error) && error.kind === 'invalid_options')) {
      io.stderr.write(`zoom-password: ${error instanceof UsageError ? error.message : flagMessage(error)}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`zoom-password: ${describe(error)}\n`);
    return EXIT_FAILED;
  }
}

// A closed pipe (`zoom-password check | head -1`) ends the command quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });