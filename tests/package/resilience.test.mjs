// Resilience through the installed package in Node (ESM import): every
// scenario of the resilience issue against the mock's fault knobs, and the
// 1,000-call soak with 20% injected faults.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { startZoomMock } from '../../mock/zoom-mock.mjs';
import { loadEntry } from '../helpers/consumer.mjs';
import { resilienceSuite, soak } from './resilience-suite.mjs';

const mock = await startZoomMock();
after(() => mock.close());

describe('resilience through the import entry', () => {
  let api;
  before(async () => { api = await loadEntry('import'); });
  for (const [name, run] of resilienceSuite({ mockOrigin: mock.origin })) {
    it(name, () => run(api));
  }

  it('soak: 1,000 sequential calls with 20% faults end definite, and the mock agrees', async () => {
    const unhandled = [];
    const onUnhandled = (reason) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { tally, mismatches } = await soak(api, { mockOrigin: mock.origin, calls: 1000, faultRate: 0.2 });
      assert.deepEqual(mismatches, []);
      assert.equal(tally.resolved + Object.values(tally.rejected).reduce((a, b) => a + b, 0), 1000);
      assert.ok(tally.alreadySet > 0, 'some lost answers were reconciled');
      assert.ok(tally.resolved > 950, `resolved ${tally.resolved}`);
      // Let any stray promise settle before checking.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(unhandled, []);
      const applied = new Map();
      for (const request of mock.passwordRequests()) {
        if (!request.applied) continue;
        const key = `${request.userId} ${request.fields.password}`;
        applied.set(key, (applied.get(key) ?? 0) + 1);
      }
      assert.deepEqual([...applied].filter(([, n]) => n > 1), [], 'no password applied twice');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
