// `tsc --noEmit --strict` on consumer files against the installed package's
// .d.ts files: Node ESM and CommonJS (node16 resolution, no DOM lib) and a
// browser project (bundler resolution, DOM lib).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

import { consumerDir, root } from '../helpers/consumer.mjs';

const checkDir = join(consumerDir, 'types-check');

function tsc(project) {
  rmSync(checkDir, { recursive: true, force: true });
  mkdirSync(checkDir, { recursive: true });
  cpSync(join(root, 'tests', 'types'), checkDir, { recursive: true });
  // @types/node comes from the workspace; the package itself from the consumer's node_modules.
  mkdirSync(join(checkDir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(root, 'node_modules', '@types', 'node'), join(checkDir, 'node_modules', '@types', 'node'));
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], {
    cwd: checkDir, encoding: 'utf8',
  });
  return `${result.stdout}${result.stderr}`.trim() || (result.status === 0 ? '' : `tsc exited ${result.status}`);
}

it('type-checks a strict Node ESM and CommonJS consumer', () => {
  assert.equal(tsc('tsconfig.node.json'), '');
});

it('type-checks a strict browser consumer of both browser entries', () => {
  assert.equal(tsc('tsconfig.browser.json'), '');
});
