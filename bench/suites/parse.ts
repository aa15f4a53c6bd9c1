import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { flattenProducts, parseProductsDoc } from '@kiln/simplestreams';
import { makeLargeProductsDoc } from '@kiln/testkit';
import type { BenchSuite } from '../lib/types.js';

const run = promisify(execFile);

interface State {
  readonly dir: string;
  readonly file: string;
  readonly items: number;
}

/**
 * Read + parse + schema-validate + flatten a ~10 MB products document shaped like
 * images.maas.io's, against jq doing a full parse and walk of every item of the same file.
 */
const suite: BenchSuite<State> = {
  name: 'parse',
  description: 'read, validate and flatten a ~10 MB images.maas.io-shaped products document',
  debianPackages: { jq: 'jq' },
  async setup() {
    const dir = await mkdtemp(join(tmpdir(), 'kiln-bench-parse-'));
    const file = join(dir, 'com.ubuntu.maas:stable:v3:download.json');
    const text = makeLargeProductsDoc(10 * 1024 * 1024);
    await writeFile(file, text);
    const items = flattenProducts(parseProductsDoc(text, file)).length;
    console.error(`[parse] ${(text.length / 1024 / 1024).toFixed(1)} MiB, ${items} items`);
    return { dir, file, items };
  },
  async kiln(state) {
    const text = await readFile(state.file, 'utf8');
    const count = flattenProducts(parseProductsDoc(text, state.file)).length;
    if (count !== state.items) throw new Error(`kiln saw ${count} items, expected ${state.items}`);
  },
  peer: {
    name: 'jq',
    async run(state) {
      const { stdout } = await run('jq', ['[.products[].versions[].items[]] | length', state.file]);
      if (Number(stdout.trim()) !== state.items)
        throw new Error(`jq saw ${stdout.trim()} items, expected ${state.items}`);
    },
  },
  async teardown(state) {
    await rm(state.dir, { recursive: true, force: true });
  },
};

export default suite;
