// client.updatePasswords(items, { concurrency, onProgress, signal }): a pool
// of workers taking items in order, all paced by the client's one pacer
// (inside Transport#execute). It resolves with a result per item, in input
// order; only input it cannot run at all (not an array, duplicate users)
// rejects.
import { fail, isZoomPasswordError, passedThrough } from './errors.js';
import { Options, given, property, wellFormed } from './options.js';
import { Transport, isAborted } from './transport.js';
import { PasswordChange } from './update.js';

const DEFAULT_CONCURRENCY = 4;
const MAX_CONCURRENCY = 64;
/** More items than this in one run are refused (the report would be unwieldy anyway). */
const MAX_ITEMS = 1_000_000;

export async function updatePasswords(clientTransport, items, options) {
  const notAnArray = () => fail('invalid_options', 'items', 'items must be an array of { userId, password }.');
  let length;
  try {
    // Array.isArray throws for a revoked Proxy; a length getter may throw.
    length = Array.isArray(items) ? items.length : undefined;
  } catch {
    throw notAnArray();
  }
  if (!(Number.isInteger(length) && length >= 0 && length <= MAX_ITEMS)) throw notAnArray();

  let transport = clientTransport;
  let concurrency = DEFAULT_CONCURRENCY;
  let onProgress;
  let bag;
  if (given(options)) {
    bag = new Options(options, 'options', '');
    const asked = bag.number('concurrency');
    if (asked !== undefined) {
      if (!(Number.isInteger(asked) && asked >= 1 && asked <= MAX_CONCURRENCY)) {
        throw fail('invalid_options', 'concurrency', 'concurrency must be an integer from 1 to 64.');
      }
      concurrency = asked;
    }
    onProgress = bag.present('onProgress');
    if (onProgress !== undefined && typeof onProgress !== 'function') {
      throw fail('invalid_options', 'onProgress', 'onProgress must be a function.');
    }
    transport = Transport.fromOptions(bag, clientTransport);
  }
  const settings = PasswordChange.settings(bag);
  const entries = [];
  for (let index = 0; index < length; index++) {
    let value;
    try {
      value = items[index];
    } catch {
      value = undefined;
    }
    entries.push(readItem(value, settings));
  }
  refuseDuplicates(entries);

  const run = { results: new Array(length).fill(null), succeeded: 0, failed: 0, skipped: 0, next: 0, stoppedBy: undefined };
  const report = (finished) => {
    if (onProgress === undefined) return;
    const progress = {
      done: run.succeeded + run.failed + run.skipped,
      total: length,
      succeeded: run.succeeded,
      failed: run.failed,
      skipped: run.skipped,
    };
    if (finished !== undefined) {
      progress.index = finished;
      // A copy: what the callback does to it must not change the results.
      progress.result = JSON.parse(JSON.stringify(run.results[finished]));
    }
    try {
      onProgress(progress);
    } catch {
      // A throwing callback must not end the run or lose results.
    }
  };

  const work = async () => {
    while (run.stoppedBy === undefined && !isAborted(transport.signal) && run.next < length) {
      const index = run.next++;
      const entry = entries[index];
      let outcome;
      if (entry.change === undefined) {
        run.failed++;
        outcome = { userId: entry.userId, ok: false, error: summary(entry.error) };
      } else {
        try {
          const done = await entry.change.run(transport);
          run.succeeded++;
          outcome = { userId: done.userId, ok: true, alreadySet: done.alreadySet };
        } catch (error) {
          outcome = { userId: entry.change.userId, ok: false };
          const kind = isZoomPasswordError(error) ? error.kind : undefined;
          if (kind === 'aborted' && !passedThrough.has(error)) {
            // Unfinished because the run was aborted.
            run.skipped++;
            outcome.skipped = true;
          } else {
            run.failed++;
            // The transport already refreshed once if it could: stop.
            if (kind === 'unauthorized' || kind === 'forbidden') run.stoppedBy = kind;
          }
          outcome.error = summary(error);
        }
      }
      run.results[index] = outcome;
      report(index);
    }
  };
  const workers = [];
  for (let i = 0; i < Math.min(concurrency, Math.max(length, 1)); i++) workers.push(work());
  await Promise.all(workers);

  let markedSkipped = false;
  for (let index = 0; index < length; index++) {
    if (run.results[index] !== null) continue;
    const entry = entries[index];
    const error = run.stoppedBy === undefined
      ? { kind: 'aborted', message: 'Skipped: the run was aborted before this user was done.' }
      : { kind: run.stoppedBy, message: 'Skipped: the run stopped after an authorization failure that could not be refreshed.' };
    run.results[index] = {
      userId: entry.change?.userId ?? entry.userId,
      ok: false,
      skipped: true,
      error: { kind: error.kind, status: null, zoomCode: null, message: error.message },
    };
    run.skipped++;
    markedSkipped = true;
  }
  if (markedSkipped) report(undefined);
  return { results: run.results, succeeded: run.succeeded, failed: run.failed, skipped: run.skipped };
}

/** `{ userId, password, maybeApplied? }`, with the run's `policy` and `validate`. */
function readItem(value, settings) {
  try {
    const item = new Options(value, 'item', 'item.');
    const change = new PasswordChange(item.get('userId'), item.get('password'), settings);
    const maybeApplied = item.boolean('maybeApplied');
    if (maybeApplied !== undefined) change.maybeApplied = maybeApplied;
    return { change };
  } catch (error) {
    return { userId: wellFormed(property(value, 'userId')) ?? null, error };
  }
}

/**
 * Each user once: Zoom treats an email address case-insensitively (ASCII)
 * and a user id exactly. Refuses the run at the first repeat.
 */
function refuseDuplicates(entries) {
  const seen = new Set();
  for (const { change } of entries) {
    if (change === undefined) continue;
    const id = change.userId;
    const key = id.includes('@') ? id.replace(/[A-Z]+/g, (s) => s.toLowerCase()) : id;
    if (seen.has(key)) {
      throw fail('invalid_options', 'items', `Each user may appear once in items; this one appears again: ${id}`);
    }
    seen.add(key);
  }
}

/** `{ kind, status, zoomCode, message }`: a bulk result's error. */
function summary(error) {
  if (!isZoomPasswordError(error)) {
    return { kind: 'unexpected_response', status: null, zoomCode: null, message: 'The call failed unexpectedly.' };
  }
  return { kind: error.kind, status: error.status ?? null, zoomCode: error.zoomCode ?? null, message: error.message };
}
