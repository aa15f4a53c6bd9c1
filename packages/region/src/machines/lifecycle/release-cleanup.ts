import type { Kysely } from 'kysely';
import { NODE_STATUS } from '@kiln/protocol';
import type { Database } from '../../db/index.js';
import type { RegionContext } from '../../region-context.js';
import type { MachinePatch } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { revokeNodeToken } from '../tokens/node-tokens.js';
import { moveMachine } from './move-machine.js';

/** What a finished release clears (spec §4.7): ownership and owner data, the deployed OS, user data. */
export const RELEASED_PATCH: MachinePatch = {
  owner: null,
  owner_data: '{}',
  agent_name: '',
  osystem: '',
  distro_series: '',
  hwe_kernel: null,
  user_data: null,
  ephemeral_deploy: 0,
  netboot: 1,
  locked: 0,
  erase_options: '{}',
  error_description: '',
};

/** RELEASING/DISK_ERASING → READY, and the machine's old credentials stop working. */
export async function completeRelease(
  db: Kysely<Database>,
  region: RegionContext,
  machine: MachineRow,
  description = 'Release complete',
): Promise<MachineRow> {
  await revokeNodeToken(db, machine.id);
  return moveMachine(db, region, machine, {
    path: [NODE_STATUS.READY],
    patch: RELEASED_PATCH,
    event: { type: 'Released', description },
  });
}
