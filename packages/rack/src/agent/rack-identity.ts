import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, open } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import { z } from 'zod';

const IdentitySchema = z.object({
  system_id: z.string().regex(/^[a-z0-9]{6,32}$/),
  hostname: z.string().min(1),
});
export type RackIdentity = z.infer<typeof IdentitySchema>;

export const RACK_IDENTITY_FILE = 'rack-id.json';

function newSystemId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length] ?? 'a').join('');
}

/**
 * The rack's persistent identity (`<dataDir>/rack-id.json`): created once, so a restarted rack
 * is the same rack controller in the region rather than a new one. A damaged file stops start-up
 * instead of silently becoming a second rack.
 */
export async function loadRackIdentity(dataDir: string, hostname?: string): Promise<RackIdentity> {
  const file = join(dataDir, RACK_IDENTITY_FILE);
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  if (text !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    const result = IdentitySchema.safeParse(parsed);
    if (!result.success)
      throw new AppError(
        'RACK_IDENTITY_INVALID',
        `${file} is not a valid rack identity; fix or remove it.`,
      );
    return result.data;
  }
  const identity: RackIdentity = { system_id: newSystemId(), hostname: hostname ?? osHostname() };
  await mkdir(dataDir, { recursive: true });
  const partial = `${file}.partial`;
  await writeFile(partial, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o644 });
  const handle = await open(partial, 'r');
  await handle.sync();
  await handle.close();
  await rename(partial, file);
  return identity;
}
