#!/usr/bin/env node
// The testkit is not part of the published build: run its TypeScript source through tsx with the
// workspace "source" condition (as `npm run bench` does), in a child so the flags apply.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, '..', 'src', 'images', 'main.ts');
const child = spawn(
  process.execPath,
  ['--conditions=source', '--import', 'tsx', entry, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal === null ? 1 : 128 + 1);
});
