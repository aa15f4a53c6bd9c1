import type { Kysely } from 'kysely';
import type { RackReport } from '@kiln/protocol';
import type { Database } from '../db/index.js';
import { recordEvent } from '../events/index.js';
import { insertNotification } from '../notifications/index.js';

function previousCount(cacheStats: string | null): number {
  if (cacheStats === null) return 0;
  try {
    const value = (JSON.parse(cacheStats) as { corrupt_files?: unknown }).corrupt_files;
    return typeof value === 'number' ? value : 0;
  } catch {
    return 0;
  }
}

/**
 * A rack found cached files corrupt at rest since its last heartbeat (it quarantined them and
 * fetched them again by itself): the region records an event and tells the admins, because a
 * disk that rots boot files will rot others. The counter restarts with the agent; a count below
 * the last one means a restart, so all of it is new.
 */
export async function noteCacheCorruption(
  db: Kysely<Database>,
  report: RackReport,
  previousStats: string | null,
): Promise<void> {
  const now = report.cache?.corrupt_files ?? 0;
  const before = previousCount(previousStats);
  const fresh = now >= before ? now - before : now;
  if (fresh <= 0) return;
  const message = `Rack ${report.hostname} (${report.system_id}) found ${fresh} corrupt cached boot file(s) on its disk; they were quarantined and fetched again. Check that disk.`;
  await recordEvent(db, {
    type: 'Rack cache corruption',
    description: message,
    level: 'ERROR',
  });
  await insertNotification(db, {
    message,
    category: 'error',
    admins: true,
    context: { system_id: report.system_id, corrupt_files: fresh },
  });
}
