import { json, validationError } from '../api/index.js';
import type { HandlerDeclaration } from '../api/index.js';
import { nowIso } from '../db/index.js';
import { deviceBySystemId, deviceInterfaceJson } from './device-json.js';

const IFACE_NAME = /^[a-zA-Z0-9._-]{1,15}$/;
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * A device's interfaces, where MAAS keeps every node's: nodes/{system_id}/interfaces/. Machines'
 * interfaces come from commissioning and are shown in the machine object; this resource serves
 * devices, whose interfaces their owner adds.
 */
export const deviceInterfacesHandler: HandlerDeclaration = {
  name: 'InterfacesHandler',
  doc: 'Manage interfaces on a node.',
  path: 'nodes/{system_id}/interfaces/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List interfaces\n\nThe interfaces of a device.',
      run: async ({ region, request }) => {
        const device = await deviceBySystemId(region.db, request.params['system_id'] ?? '');
        const rows = await region.db
          .selectFrom('device_interfaces')
          .selectAll()
          .where('device_id', '=', device.id)
          .orderBy('id')
          .execute();
        return json(await Promise.all(rows.map((r) => deviceInterfaceJson(region.db, device, r))));
      },
    },
    {
      method: 'POST',
      op: 'create_physical',
      doc: 'Create a physical interface',
      fields: [
        { name: 'name', kind: 'string', doc: 'Name of the interface.' },
        {
          name: 'mac_address',
          kind: 'string',
          required: true,
          doc: 'MAC address of the interface.',
        },
        {
          name: 'vlan',
          kind: 'int',
          doc: 'Id of the untagged VLAN the interface is connected to.',
        },
        { name: 'tags', kind: 'string', doc: 'Tags for the interface (ignored).' },
        { name: 'mtu', kind: 'int', min: 552, doc: 'Maximum transmission unit (ignored).' },
      ],
      run: async ({ region, request, input }) => {
        const device = await deviceBySystemId(region.db, request.params['system_id'] ?? '');
        const mac = (input.string('mac_address') ?? '').toLowerCase();
        if (!MAC.test(mac))
          throw validationError({ mac_address: [`'${mac}' is not a valid MAC address.`] });
        const count = await region.db
          .selectFrom('device_interfaces')
          .select('id')
          .where('device_id', '=', device.id)
          .execute();
        const name = input.string('name') ?? `eth${String(count.length)}`;
        if (!IFACE_NAME.test(name))
          throw validationError({ name: [`Invalid interface name: ${name}.`] });
        const vlanId = input.int('vlan') ?? null;
        if (vlanId !== null) {
          const vlan = await region.db
            .selectFrom('vlans')
            .select('id')
            .where('id', '=', vlanId)
            .executeTakeFirst();
          if (vlan === undefined)
            throw validationError({ vlan: [`Unknown VLAN ${String(vlanId)}.`] });
        }
        const row = await region.db
          .insertInto('device_interfaces')
          .values({
            device_id: device.id,
            name,
            mac_address: mac,
            vlan_id: vlanId,
            created: nowIso(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return json(await deviceInterfaceJson(region.db, device, row));
      },
    },
  ],
};
