// The shared API suite against every Node-loadable entry of the installed
// tarball: import (node.mjs), require (node.cjs), browser.js and web.js.

import { after, before, describe, it } from 'node:test';

import { startZoomMock } from '../../mock/zoom-mock.mjs';
import { loadEntry } from '../helpers/consumer.mjs';
import { apiSuite } from './api-suite.mjs';

const mock = await startZoomMock();
after(() => mock.close());

for (const entry of ['import', 'require', 'browser.js', 'web.js']) {
  describe(`entry ${entry}`, () => {
    let api;
    before(async () => { api = await loadEntry(entry); });
    const node = ['import', 'require'].includes(entry);
    for (const [name, run] of apiSuite({ mockOrigin: mock.origin, fullBuild: node, nodeEntry: node })) {
      it(name, () => run(api));
    }
  });
}
