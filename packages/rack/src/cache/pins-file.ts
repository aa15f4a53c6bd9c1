import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { isSha256 } from './sha256-name.js';

export const PINS_FILE = 'pins.json';

/** Pins outlive restarts: an operator pins the commissioning image once, not after every boot. */
export async function loadPins(dir: string): Promise<Set<string>> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, PINS_FILE), 'utf8'));
    if (!Array.isArray(parsed)) return new Set();
    return new Set(parsed.filter((v): v is string => typeof v === 'string' && isSha256(v)));
  } catch {
    return new Set();
  }
}

export async function savePins(dir: string, pins: ReadonlySet<string>): Promise<void> {
  const path = join(dir, PINS_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  const file = await open(temp, 'w');
  try {
    await file.writeFile(`${JSON.stringify([...pins].sort(), null, 2)}\n`);
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temp, path);
}
