import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The region serves the build under /MAAS/r/ (packages/region/src/web); @kiln/protocol is
// bundled from its TypeScript source through the "source" export condition.
export default defineConfig({
  base: '/MAAS/r/',
  plugins: [react()],
  resolve: { conditions: ['source'] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1024 },
});
