import { stringify } from 'yaml';
import { MACHINE_DOMAIN } from '../machines/repository/machine-json.js';
import type { MachineRow } from '../machines/repository/tables.js';

export const META_DATA_KEYS = [
  'instance-id',
  'local-hostname',
  'public-keys',
  'vendor-data',
] as const;

/** `<v>/meta-data/<key>` (spec §6.1); undefined for keys Kiln does not serve. */
export function metaDataValue(
  machine: MachineRow,
  key: string,
  publicKeys: readonly string[],
): { body: string; type: string } | undefined {
  switch (key) {
    case 'instance-id':
      return { body: machine.system_id, type: 'text/plain' };
    case 'local-hostname':
      return { body: `${machine.hostname}.${MACHINE_DOMAIN}`, type: 'text/plain' };
    case 'public-keys':
      // The owner's keys (account/prefs/sshkeys/), one per line; MAAS 404s when there are none.
      return publicKeys.length === 0
        ? undefined
        : { body: publicKeys.join('\n'), type: 'text/plain' };
    case 'vendor-data':
      return {
        body: stringify({ 'cloud-init': '#cloud-config\n{}\n' }),
        type: 'application/x-yaml',
      };
    default:
      return undefined;
  }
}

export const ENLIST_META_DATA: Readonly<Record<string, string>> = {
  'instance-id': 'i-maas-enlistment',
  'local-hostname': 'maas-enlisting-node',
  'public-keys': '',
};
