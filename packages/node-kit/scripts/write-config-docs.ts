// Regenerates docs/configuration.md from the setting declarations (`npm run docs:config`).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderConfigDocs } from '../src/config/index.js';

const target = resolve(import.meta.dirname, '../../../docs/configuration.md');
writeFileSync(target, renderConfigDocs());
console.log(`wrote ${target}`);
