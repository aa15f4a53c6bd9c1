import type { Kysely } from 'kysely';
import { nodeStatusName } from '@kiln/protocol';
import type { Database } from '../../db/index.js';
import { machineStatus } from '../repository/machine-json.js';
import { loadMachineView } from '../repository/machine-view.js';
import type { MachineRow } from '../repository/tables.js';
import { machineTimeline } from '../timeline/machine-timeline.js';

/**
 * `op=details`. MAAS answers BSON with raw lshw/lldp XML; Kiln answers JSON: an lshw-like
 * hardware tree from the commissioning inventory, the kept script results, and the timeline
 * (each event a phase with its duration) — documented in docs/machines.md.
 */
export async function machineDetails(db: Kysely<Database>, machine: MachineRow) {
  const view = await loadMachineView(db, machine);
  const scripts = await db
    .selectFrom('script_results')
    .select(['id', 'result_type', 'name', 'status', 'exit_status', 'runtime', 'created'])
    .where('machine_id', '=', machine.id)
    .orderBy('id')
    .execute();
  return {
    system_id: machine.system_id,
    status: machineStatus(machine),
    status_name: nodeStatusName(machineStatus(machine)),
    lshw: {
      id: machine.hostname,
      class: 'system',
      firmware: machine.firmware,
      children: [
        { class: 'processor', product: machine.cpu_model, count: machine.cpu_count },
        { class: 'memory', id: 'memory', size: machine.memory * 1024 * 1024, units: 'bytes' },
        ...view.blockDevices.map((d) => ({
          class: 'disk',
          logicalname: d.path,
          product: d.model,
          serial: d.serial,
          size: d.size,
          units: 'bytes',
        })),
        ...view.interfaces
          .filter((i) => i.type === 'physical')
          .map((i) => ({
            class: 'network',
            logicalname: i.name,
            serial: i.mac_address,
            capacity: i.speed_mbps === null ? null : i.speed_mbps * 1_000_000,
            link: i.link_connected === 1,
          })),
      ],
    },
    script_results: scripts,
    timeline: await machineTimeline(db, machine.system_id),
  };
}
