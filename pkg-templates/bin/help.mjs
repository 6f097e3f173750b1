// The usage text: all of it (--help) and each command's (COMMAND --help).

import { DEFAULT_CONCURRENCY, DEFAULT_RATE } from './shared.mjs';

export const HELP = `zoom-password: change Zoom user passwords

Usage:
  zoom-password set <userId> [options]      new password from standard input, or a no-echo prompt
  zoom-password check [--policy FILE]       validate a password from standard input; exit 0 valid, 1 invalid
  zoom-password bulk FILE.csv [options]     columns userId,password; one JSON line per user in the report
  zoom-password generate [--policy FILE] [--length N]   print one generated password that passes the policy

Credentials (environment): ZOOM_ACCESS_TOKEN, or ZOOM_ACCOUNT_ID + ZOOM_CLIENT_ID + ZOOM_CLIENT_SECRET
(server-to-server OAuth; ZOOM_OAUTH_BASE_URL overrides https://zoom.us).

Options:
  --base-url URL        API base (default https://api.zoom.us/v2)
  --policy FILE         account policy JSON (password_requirement, or the settings answer);
                        --policy account fetches it from Zoom (needs account:read:admin)
  --json                machine-readable output
  --dry-run             print the requests with secrets redacted; send nothing
  --timeout MS          per attempt (default 30000)
  --encoding multipart|json
  --breach-check        refuse a password found in Pwned Passwords (only 5 hex characters of its
                        SHA-1 leave the machine); a failed check fails closed (set, check, bulk)
  --range-url URL       the range API (default https://api.pwnedpasswords.com/range/)
bulk only:
  --report FILE         a new file for this run's report (default FILE.report.jsonl beside the
                        CSV); an existing report is refused: it belongs to its own run
  --resume REPORT       continue that run: skip each user it set to the very password they would
                        get now; send the rest again (with maybeApplied); append to REPORT
  --rate N              requests per second for the whole run (default ${DEFAULT_RATE})
  --plan free|pro|business   shortcut for --rate 2, 20 or 60 (Zoom's limits for this endpoint)
  --concurrency N       requests in flight (default ${DEFAULT_CONCURRENCY})
  --generate --secrets OUT.csv   the CSV needs only userId: each user gets a generated password,
                        written with its userId to OUT.csv (created 0600, flushed to disk before
                        any request); an existing OUT.csv needs --resume, and its passwords are reused
  --length N            generated length (generate, bulk --generate; default 16)

Standard input holds one line, the password: a final newline (or CRLF) and
trailing blank lines are not part of it; a second line, or a control
character in the password, is refused (exit 2) and nothing is sent. On a
terminal the password is read without echo, and set asks for it twice.

bulk and Ctrl-C: once, nothing new is sent and the requests already out finish with their
real outcome; twice, those are cut too and reported "outcome": "unknown" (--resume settles
them). Either way the report is complete and the exit code is 130.

Exit codes: 0 all ok, 1 some failed or skipped (or, for check, invalid), 2 usage or configuration
error (credentials Zoom refuses included), 130 interrupted.`;

/** `zoom-password COMMAND --help`: the usage line and the options that command takes. */
export const COMMAND_HELP = {
  set: `zoom-password set <userId> [--base-url URL] [--policy FILE] [--json] [--dry-run] [--timeout MS] [--encoding multipart|json]
                       [--breach-check [--range-url URL]]

Changes one user's password. The password comes from standard input (one
line) or, on a terminal, a no-echo prompt asked twice; never from argv.
Exit codes: 0 changed, 1 refused or failed, 2 usage or configuration error.`,
  check: `zoom-password check [--policy FILE] [--json] [--breach-check [--range-url URL]]

Validates a password from standard input (one line) against Zoom's rules and
the policy; prints the checklist. --breach-check adds the Pwned Passwords line
(a failed query exits 1). Exit codes: 0 valid, 1 invalid, 2 usage error.`,
  generate: `zoom-password generate [--policy FILE|account] [--length N]

Prints one password that passes Zoom's rules and the policy, drawn from the
platform's cryptographic random source (74 symbols: A-Z a-z 0-9 !#$%*+-=?@^_).
--length is 8 (or the policy's minimum) to 31, default 16. Exit codes: 0
printed, 2 usage error.`,
  bulk: `zoom-password bulk FILE.csv [--rate N | --plan free|pro|business] [--concurrency N]
                   [--report FILE] [--resume REPORT] [--base-url URL] [--policy FILE]
                   [--json] [--dry-run] [--timeout MS] [--encoding multipart|json]
                   [--generate --secrets OUT.csv [--length N]] [--breach-check [--range-url URL]]

Changes the passwords of the CSV's rows (columns userId,password). --dry-run
validates every row and prints the requests, redacted; it sends nothing to
Zoom and exits 1 if a row would be refused (with --breach-check it asks the
range API, which sees only hash prefixes). With --generate the CSV needs only
userId: every password is generated and written to the --secrets file (mode
0600, flushed to disk) before the first request; no generated password is
ever printed or reported. Without --policy, --generate reads the account's
policy first (a policy that cannot be read is exit 2). With --resume, the
secrets file's passwords are reused for the users not yet done. Ctrl-C once
lets the requests already out finish; twice cuts them. Exit codes: 0 all
ok, 1 some failed or skipped, 2 usage or configuration error, 130 interrupted.`,
};
