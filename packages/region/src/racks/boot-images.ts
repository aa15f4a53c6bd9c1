import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/index.js';

export interface BootImageSummary {
  readonly name: string;
  readonly architecture: string;
  /** Comma-separated, as MAAS's boot resources show subarches. */
  readonly subarches: string;
}

/**
 * `list_boot_images` in 3.5+: racks hold no images of their own, so the answer is built from the
 * region's boot resources (OS images only, not bootloaders), one entry per name and arch.
 * Plain SQL keeps this independent of the image module's table typings.
 */
export async function listBootImages(db: Kysely<Database>): Promise<BootImageSummary[]> {
  const rows = await sql<{ name: string; architecture: string }>`
    select r.name, r.architecture from boot_resources r
    where r.bootloader_type is null
      and exists (select 1 from boot_resource_sets s where s.resource_id = r.id)
    order by r.name, r.architecture`.execute(db);
  const grouped = new Map<string, { name: string; arch: string; subarches: Set<string> }>();
  for (const row of rows.rows) {
    const [arch = row.architecture, subarch = 'generic'] = row.architecture.split('/');
    const key = `${row.name}\u0000${arch}`;
    const entry = grouped.get(key) ?? { name: row.name, arch, subarches: new Set<string>() };
    entry.subarches.add(subarch);
    grouped.set(key, entry);
  }
  return [...grouped.values()].map((entry) => ({
    name: entry.name,
    architecture: entry.arch,
    subarches: [...entry.subarches].sort().join(','),
  }));
}
