import { Binary, serialize } from 'bson';
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

type Details = Awaited<ReturnType<typeof machineDetails>>;
type LshwNode = Details['lshw']['children'][number];

const escapeXml = (value: string): string =>
  value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

function lshwNodeXml(node: LshwNode, index: number): string {
  const id =
    'logicalname' in node && typeof node.logicalname === 'string'
      ? node.logicalname.replace(/^\/dev\//, '')
      : `${node.class}:${index}`;
  const parts = [`<node id="${escapeXml(id)}" class="${escapeXml(node.class)}">`];
  for (const [key, value] of Object.entries<string | number | boolean | null>(node)) {
    if (key === 'class' || value === null) continue;
    const tag = key === 'count' ? 'configuration' : key;
    if (tag === 'configuration') {
      parts.push(`<configuration><setting id="cores" value="${String(value)}"/></configuration>`);
    } else if (key === 'size' || key === 'capacity') {
      parts.push(
        `<${key} units="${key === 'capacity' ? 'bit/s' : 'bytes'}">${String(value)}</${key}>`,
      );
    } else if (key !== 'units' && key !== 'link' && key !== 'id') {
      parts.push(`<${tag}>${escapeXml(String(value))}</${tag}>`);
    }
  }
  parts.push('</node>');
  return parts.join('');
}

/**
 * MAAS's `details` wire format: a BSON document whose `lshw` and `lldp` are XML as bytes (binary
 * subtype 0). Kiln keeps a parsed inventory rather than lshw's raw output, so the XML is rendered
 * from it in lshw's element vocabulary.
 */
export function detailsBson(details: Details): Buffer {
  const root = details.lshw;
  const lshw = [
    '<?xml version="1.0" standalone="yes" ?>',
    '<list>',
    `<node id="${escapeXml(root.id)}" class="system">`,
    root.firmware === null
      ? ''
      : `<capabilities><capability id="${escapeXml(root.firmware)}"/></capabilities>`,
    ...root.children.map(lshwNodeXml),
    '</node>',
    '</list>',
  ].join('\n');
  const lldp = '<?xml version="1.0" encoding="UTF-8"?>\n<lldp label="LLDP neighbors"/>';
  return Buffer.from(
    serialize({
      lshw: new Binary(Buffer.from(lshw, 'utf8'), Binary.SUBTYPE_DEFAULT),
      lldp: new Binary(Buffer.from(lldp, 'utf8'), Binary.SUBTYPE_DEFAULT),
    }),
  );
}
