import { findConfigDefinition } from '../../maas-config/index.js';
import type { MachineContext } from '../machine-context.js';

/** The MAAS settings a boot answer reads. */
const BOOT_SETTINGS = [
  'commissioning_osystem',
  'commissioning_distro_series',
  'kernel_opts',
] as const;

export type BootSettings = Readonly<Record<(typeof BOOT_SETTINGS)[number], string>>;

/**
 * Every setting a boot answer needs in one statement (it runs once per booting machine), each
 * the stored value or the setting's default, like `getConfigValue` for each name.
 */
export async function readBootSettings(region: MachineContext): Promise<BootSettings> {
  const rows = await region.db
    .selectFrom('config')
    .select(['name', 'value'])
    .where('name', 'in', BOOT_SETTINGS)
    .execute();
  const stored = new Map(rows.map((row) => [row.name, row.value]));
  const value = (name: (typeof BOOT_SETTINGS)[number]): string => {
    const json = stored.get(name);
    if (json !== undefined) return String(JSON.parse(json) as unknown);
    const definition = findConfigDefinition(name);
    // The names above are MAAS settings; a missing definition is a programming error.
    if (definition === undefined) throw new Error(`no config setting named ${name}`);
    return String(definition.defaultValue(region.config));
  };
  return {
    commissioning_osystem: value('commissioning_osystem'),
    commissioning_distro_series: value('commissioning_distro_series'),
    kernel_opts: value('kernel_opts'),
  };
}
