// Packs pkg/ with `npm pack` and installs the tarball into build/consumer,
// so tests use the package exactly as a user would install it.

import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, 'build');
const consumer = join(build, 'consumer');
mkdirSync(build, { recursive: true });
const [packed] = JSON.parse(execFileSync('npm', ['pack', './pkg', '--json', '--pack-destination', build], { cwd: root, encoding: 'utf8' }));
console.log(`packed ${packed.filename}: ${packed.size} bytes, ${packed.entryCount} files`);

rmSync(consumer, { recursive: true, force: true });
mkdirSync(consumer, { recursive: true });
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'zoom-password-consumer', private: true, type: 'module' }, null, 2));
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', join(build, packed.filename)], { cwd: consumer, stdio: 'inherit' });
writeFileSync(join(consumer, 'entry-import.mjs'), "export * from 'zoom-password';\nexport { default } from 'zoom-password';\n");
writeFileSync(join(consumer, 'entry.cjs'), "module.exports = require('zoom-password');\n");
