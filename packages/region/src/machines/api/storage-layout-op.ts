import { AppError } from '@kiln/node-kit';
import { NODE_STATUS as S } from '@kiln/protocol';
import type { ActionContext } from '../../api/handler-types.js';
import type { FieldSpec } from '../../api/fields.js';
import { parseStorageLayoutInput } from '../install-config/index.js';
import { installMachineOf } from '../lifecycle/install-config-for.js';
import { machineStatus } from '../repository/machine-json.js';
import { loadMachineView } from '../repository/machine-view.js';
import { updateMachine } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';

export const STORAGE_LAYOUT_FIELDS: readonly FieldSpec[] = [
  {
    name: 'storage_layout',
    kind: 'string',
    required: true,
    choices: ['flat', 'lvm'],
    doc: 'Storage layout for the machine: flat or lvm.',
  },
  { name: 'boot_size', kind: 'string', doc: 'Size of the boot partition (e.g. 512M, 1G).' },
  {
    name: 'root_device',
    kind: 'string',
    doc: 'Physical block device to place the root partition on.',
  },
  { name: 'root_size', kind: 'string', doc: 'Size of the root partition.' },
  { name: 'vg_name', kind: 'string', doc: 'Name of the created volume group (lvm).' },
  { name: 'lv_name', kind: 'string', doc: 'Name of the created logical volume (lvm).' },
  { name: 'lv_size', kind: 'string', doc: 'Size of the created logical volume (lvm).' },
];

/** Validated against the machine's commissioned disks; stored for the next deploy's config. */
export async function setStorageLayout(ctx: ActionContext, machine: MachineRow): Promise<void> {
  const status = machineStatus(machine);
  if (status !== S.READY && status !== S.ALLOCATED) {
    throw new AppError(
      'MACHINE_STORAGE_LAYOUT_STATE',
      'Cannot change the storage layout on a machine that is not Ready or Allocated.',
    );
  }
  const params: Record<string, string> = {};
  for (const field of STORAGE_LAYOUT_FIELDS) {
    const value = ctx.input.string(field.name);
    if (value !== undefined) params[field.name] = value;
  }
  const view = await loadMachineView(ctx.region.db, machine);
  parseStorageLayoutInput(installMachineOf(view, machine.osystem, machine.distro_series), params);
  await updateMachine(ctx.region.db, machine.id, { storage_layout: JSON.stringify(params) });
}
