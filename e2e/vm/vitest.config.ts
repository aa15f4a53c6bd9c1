import { defineConfig } from 'vitest/config';

// The VM scenarios: real qemu VMs network-booting through Kiln. Minutes per file under TCG, root
// only, so never part of `npm test`. Files run one after another (2 cores; each file owns a lab).
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['e2e/vm/**/*.test.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 1_800_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
    reporters: ['verbose'],
  },
});
