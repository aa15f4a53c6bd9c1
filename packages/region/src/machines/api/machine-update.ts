import type { ActionContext } from '../../api/index.js';
import type { FieldSpec } from '../../api/index.js';
import { validationError } from '../../domain-errors.js';
import { recordEvent } from '../../events/index.js';
import { requireUnlocked } from '../lifecycle/owner-rules.js';
import { namedId, updateMachine, type MachinePatch } from '../repository/machines-repository.js';
import { isValidHostname } from '../repository/names.js';
import type { MachineRow } from '../repository/tables.js';
import { powerParametersFromForm } from '../power/index.js';
import { formFields } from './request-helpers.js';
import type { MachineContext } from '../machine-context.js';

export const UPDATE_FIELDS: readonly FieldSpec[] = [
  { name: 'hostname', kind: 'string', doc: 'The new hostname for this machine.' },
  { name: 'description', kind: 'string', doc: 'The new description for this machine.' },
  { name: 'architecture', kind: 'string', doc: 'The new architecture for this machine.' },
  { name: 'power_type', kind: 'string', doc: 'The new power type for this machine.' },
  {
    name: 'zone',
    kind: 'string',
    doc: 'Name of a valid physical zone in which to place this machine.',
  },
  { name: 'pool', kind: 'string', doc: 'Name of the resource pool the machine belongs to.' },
  { name: 'cpu_count', kind: 'int', min: 0, doc: 'The amount of CPU cores the machine has.' },
  { name: 'memory', kind: 'int', min: 0, doc: 'How much memory the machine has (MiB).' },
  { name: 'hwe_kernel', kind: 'string', doc: 'Kernel this machine will use during deployment.' },
  {
    name: 'min_hwe_kernel',
    kind: 'string',
    doc: 'A string containing the minimum kernel version.',
  },
];

/** PUT machines/{id}/: the fields MAAS's MachineForm takes, plus power parameters. */
export async function updateMachineFields(
  ctx: ActionContext<MachineContext>,
  machine: MachineRow,
): Promise<void> {
  requireUnlocked(machine);
  const { input, region, request } = ctx;
  const patch: MachinePatch = {};
  const hostname = input.string('hostname');
  if (hostname !== undefined) {
    if (!isValidHostname(hostname))
      throw validationError({ hostname: [`'${hostname}' is not a valid hostname.`] });
    const clash = await region.db
      .selectFrom('machines')
      .select('id')
      .where('hostname', '=', hostname)
      .where('id', '!=', machine.id)
      .executeTakeFirst();
    if (clash !== undefined)
      throw validationError({ hostname: [`Node with hostname "${hostname}" already exists.`] });
    patch.hostname = hostname;
  }
  const copy = (name: 'description' | 'architecture' | 'hwe_kernel' | 'min_hwe_kernel') => {
    const value = input.string(name);
    if (value !== undefined) patch[name] = value;
  };
  copy('description');
  copy('architecture');
  copy('hwe_kernel');
  copy('min_hwe_kernel');
  if (input.int('cpu_count') !== undefined) patch.cpu_count = input.int('cpu_count');
  if (input.int('memory') !== undefined) patch.memory = input.int('memory');
  const zone = input.string('zone');
  if (zone !== undefined) patch.zone_id = await namedId(region.db, 'zones', 'zone', zone);
  const pool = input.string('pool');
  if (pool !== undefined) patch.pool_id = await namedId(region.db, 'resource_pools', 'pool', pool);
  const power = powerParametersFromForm(formFields(request.form));
  const powerType = input.string('power_type') ?? machine.power_type;
  if (input.string('power_type') !== undefined || power.params !== undefined) {
    const params = power.skipCheck
      ? (power.params ?? {})
      : region.machines.power.validate(
          powerType,
          power.params ??
            (powerType === machine.power_type ? JSON.parse(machine.power_parameters) : {}),
        ).params;
    patch.power_type = powerType;
    patch.power_parameters = JSON.stringify(params);
  }
  await updateMachine(region.db, machine.id, patch);
  await recordEvent(region.db, {
    type: 'Updated',
    description: `Changed ${Object.keys(patch).join(', ') || 'nothing'}`,
    level: 'AUDIT',
    nodeSystemId: machine.system_id,
    nodeHostname: patch.hostname ?? machine.hostname,
    username: request.user?.username ?? null,
  });
}
