import { AppError } from '@kiln/node-kit';
import { NODE_STATUS as S, planAction } from '@kiln/protocol';
import type { ActionDeclaration } from '../../api/handler-types.js';
import { json } from '../../api/responses.js';
import type { RegionContext } from '../../region-context.js';
import type { UserRow } from '../../users/index.js';
import { acceptMachine, ctxOf, releaseMachine } from '../lifecycle/machine-actions.js';
import { isAdmin, requireAdmin } from '../lifecycle/owner-rules.js';
import { machineJson, machineStatus } from '../repository/machine-json.js';
import { loadMachineViews } from '../repository/machine-view.js';
import { listMachines } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { comment } from './element-action.js';
import { requireUser } from './request-helpers.js';

const machinesField = {
  name: 'machines',
  kind: 'list' as const,
  doc: 'A list of system_ids of the machines.',
};

/** The named machines, in the order given; 400 naming every id that matches no machine. */
async function namedMachines(region: RegionContext, ids: readonly string[]): Promise<MachineRow[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await listMachines(region.db, { systemIds: unique });
  const byId = new Map(rows.map((m) => [m.system_id, m]));
  const unknown = unique.filter((id) => !byId.has(id));
  if (unknown.length > 0)
    throw new AppError('MACHINE_UNKNOWN_IDS', `Unknown machine(s): ${unknown.join(', ')}.`, {
      details: { unknown },
    });
  return unique.map((id) => byId.get(id)).filter((m): m is MachineRow => m !== undefined);
}

/**
 * Every machine must accept the action before any of them is touched: a bulk request that would
 * fail part-way instead changes nothing and names the machines in the way (MAAS acts on the good
 * ones and then reports the rest; all-or-nothing is easier to retry).
 */
function refuseUnless(
  machines: readonly MachineRow[],
  action: 'accept' | 'release',
  user: UserRow,
): void {
  if (!isAdmin(user)) {
    const foreign = machines.filter((m) => m.owner !== user.username).map((m) => m.system_id);
    if (foreign.length > 0)
      throw new AppError(
        'MACHINE_NOT_OWNER',
        `You don't have the required permission to ${action} the following machine(s): ${foreign.join(', ')}.`,
        { details: { systemIds: foreign } },
      );
  }
  const blocked: string[] = [];
  for (const m of machines) {
    try {
      if (m.locked === 1) throw new Error('locked');
      planAction(action, ctxOf(m));
    } catch {
      blocked.push(m.system_id);
    }
  }
  if (blocked.length > 0)
    throw new AppError(
      'MACHINE_STATE_CONFLICT',
      `Machine(s) cannot be ${action === 'accept' ? 'accepted' : 'released'} in their current state: ${blocked.join(', ')}.`,
      { details: { systemIds: blocked } },
    );
}

async function acceptAll(
  region: RegionContext,
  machines: readonly MachineRow[],
  user: UserRow,
): Promise<unknown> {
  refuseUnless(machines, 'accept', user);
  const accepted: MachineRow[] = [];
  for (const m of machines) {
    const done = await acceptMachine(region, m, user);
    if (done !== null) accepted.push(done);
  }
  return (await loadMachineViews(region.db, accepted)).map(machineJson);
}

/** MachinesHandler's collection operations that act on several machines at once. */
export const BULK_MACHINE_OPS: readonly ActionDeclaration[] = [
  {
    method: 'POST',
    op: 'accept',
    admin: true,
    doc: 'Accept declared machines\n\nAccept declared (NEW) machines into Kiln: each starts commissioning. Machines already accepted are ignored; the result lists the machines accepted by this call.',
    fields: [machinesField],
    run: async ({ request, input, region }) => {
      const user = requireUser(request);
      requireAdmin(user);
      const machines = await namedMachines(region, input.list('machines') ?? []);
      return json(await acceptAll(region, machines, user));
    },
  },
  {
    method: 'POST',
    op: 'accept_all',
    admin: true,
    doc: 'Accept all declared machines\n\nAccept every NEW machine: each starts commissioning. Returns the machines accepted.',
    run: async ({ request, region }) => {
      const user = requireUser(request);
      requireAdmin(user);
      const fresh = await listMachines(region.db, { statuses: [String(S.NEW)] });
      return json(await acceptAll(region, fresh, user));
    },
  },
  {
    method: 'POST',
    op: 'release',
    doc: 'Release machines\n\nRelease several machines at once (their owner or an administrator). Machines already released are left alone. Returns the system_ids of the machines released.',
    fields: [machinesField, comment],
    run: async ({ request, input, region }) => {
      const user = requireUser(request);
      const machines = await namedMachines(region, input.list('machines') ?? []);
      refuseUnless(machines, 'release', user);
      const released: string[] = [];
      for (const m of machines) {
        const before = machineStatus(m);
        const after = await releaseMachine(region, m, user, { comment: input.string('comment') });
        if (machineStatus(after) !== before) released.push(m.system_id);
      }
      return json(released);
    },
  },
];
