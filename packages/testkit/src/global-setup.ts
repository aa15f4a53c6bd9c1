// Vitest global setup: runs once before any test file. Database fixtures are prepared by the
// dialect matrix (db.ts) when it is added; this file only guarantees a clean artefacts folder.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';

export default async function setup(): Promise<void> {
  await mkdir(resolve(import.meta.dirname, '../../../test-artifacts'), { recursive: true });
}
