import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import type { CommissioningInventory } from '../machines/index.js';
import { normaliseMac } from '../machines/index.js';
import type { MachineRow } from '../machines/index.js';

/**
 * Commissioning results become the machine's facts (seed takeaway 2): CPU, memory, firmware,
 * block devices (replaced) and physical NICs (matched by MAC, new ones added). Runs inside the
 * signal's transaction so a half-applied inventory is never visible.
 */
export async function applyInventory(
  db: Kysely<Database>,
  machine: MachineRow,
  inventory: CommissioningInventory,
): Promise<void> {
  await db
    .updateTable('machines')
    .set({
      cpu_count: inventory.cpu.count,
      cpu_model: inventory.cpu.model,
      memory: inventory.memory.total_mib,
      ...(inventory.platform === undefined ? {} : { firmware: inventory.platform.firmware }),
    })
    .where('id', '=', machine.id)
    .execute();
  await db.deleteFrom('block_devices').where('machine_id', '=', machine.id).execute();
  for (const device of inventory.block_devices) {
    await db
      .insertInto('block_devices')
      .values({
        machine_id: machine.id,
        name: device.name,
        size: device.size,
        model: device.model ?? '',
        serial: device.serial ?? '',
        path: `/dev/${device.name}`,
        rotational: device.rotational ? 1 : 0,
      })
      .execute();
  }
  const existing = await db
    .selectFrom('interfaces')
    .selectAll()
    .where('machine_id', '=', machine.id)
    .execute();
  for (const nic of inventory.interfaces.filter((i) => i.physical)) {
    const mac = normaliseMac(nic.mac_address);
    if (mac === null) continue;
    const values = {
      name: nic.name,
      mtu: nic.mtu ?? 1500,
      link_connected: nic.link === false ? 0 : 1,
      speed_mbps: nic.speed_mbps,
    };
    const mine = existing.find((i) => i.mac_address === mac);
    if (mine !== undefined) {
      // Names come from the kernel now; a placeholder (eth0 from enlistment) may collide.
      const clash = existing.find((i) => i.name === nic.name && i.id !== mine.id);
      if (clash !== undefined) {
        await db
          .updateTable('interfaces')
          .set({ name: `${clash.name}-old${clash.id}` })
          .where('id', '=', clash.id)
          .execute();
      }
      await db.updateTable('interfaces').set(values).where('id', '=', mine.id).execute();
      continue;
    }
    const owner = await db
      .selectFrom('interfaces')
      .select('machine_id')
      .where('mac_address', '=', mac)
      .executeTakeFirst();
    if (owner !== undefined) continue;
    const nameTaken = existing.some((i) => i.name === nic.name);
    await db
      .insertInto('interfaces')
      .values({
        machine_id: machine.id,
        ...values,
        name: nameTaken ? `${nic.name}-${mac.replace(/:/g, '').slice(-4)}` : nic.name,
        mac_address: mac,
        vlan_id: null,
        ip_address: null,
        subnet_cidr: null,
        gateway_ip: null,
      })
      .execute();
  }
}
