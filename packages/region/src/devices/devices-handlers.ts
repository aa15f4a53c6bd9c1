import { isIP } from 'node:net';
import { AppError } from '@kiln/node-kit';
import { deleted, json, validationError } from '../api/index.js';
import type { HandlerDeclaration } from '../api/index.js';
import { nowIso } from '../db/index.js';
import { domainByKey } from '../domains/index.js';
import { generateSystemId } from '../machines/index.js';
import { deviceBySystemId, deviceJson } from './device-json.js';

/** `aa:bb:cc:dd:ee:ff` lower case, from colon, dash or bare forms; null when not a MAC. */
function normaliseMac(text: string): string | null {
  const hex = text.trim().toLowerCase().replace(/[:-]/g, '');
  if (!/^[0-9a-f]{12}$/.test(hex)) return null;
  return hex.match(/../g)?.join(':') ?? null;
}

const HOSTNAME = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i;

function requireUsername(user: { username: string } | null): string {
  if (user === null) throw new AppError('AUTH_REQUIRED', 'Forbidden');
  return user.username;
}

function macsOf(values: readonly string[], field: string): string[] {
  const macs = values.map((value) => normaliseMac(value));
  const bad = values.filter((_, i) => macs[i] === null);
  if (bad.length > 0)
    throw validationError({ [field]: [`'${bad.join(', ')}' is not a valid MAC address.`] });
  return macs.filter((m): m is string => m !== null);
}

export const devicesHandler: HandlerDeclaration = {
  name: 'DevicesHandler',
  doc: 'Manage the collection of all the devices in the MAAS.',
  path: 'devices/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List devices',
      fields: [
        { name: 'hostname', kind: 'list', doc: 'Only devices with these hostnames.' },
        { name: 'mac_address', kind: 'list', doc: 'Only devices with these MAC addresses.' },
        { name: 'id', kind: 'list', doc: 'Only devices with these system ids.' },
        { name: 'domain', kind: 'string', doc: 'Only devices in this domain.' },
        { name: 'parent', kind: 'string', doc: 'Only devices whose parent is this system id.' },
      ],
      run: async ({ region, input }) => {
        let query = region.db.selectFrom('devices').selectAll('devices');
        const hostnames = input.list('hostname');
        if (hostnames !== undefined) query = query.where('hostname', 'in', hostnames);
        const ids = input.list('id');
        if (ids !== undefined) query = query.where('system_id', 'in', ids);
        const domain = input.string('domain');
        if (domain !== undefined) query = query.where('domain', '=', domain);
        const parent = input.string('parent');
        if (parent !== undefined) query = query.where('parent', '=', parent);
        const macs = input.list('mac_address');
        if (macs !== undefined) {
          const wanted = macsOf(macs, 'mac_address');
          query = query.where('devices.id', 'in', (eb) =>
            eb
              .selectFrom('device_interfaces')
              .select('device_id')
              .where('mac_address', 'in', wanted),
          );
        }
        const rows = await query.orderBy('devices.id').execute();
        return json(await Promise.all(rows.map((r) => deviceJson(region.db, r))));
      },
    },
    {
      method: 'POST',
      op: null,
      doc: 'Create a new device',
      fields: [
        { name: 'hostname', kind: 'string', doc: 'A hostname; one is generated when absent.' },
        { name: 'mac_addresses', kind: 'list', required: true, doc: "The device's MAC addresses." },
        { name: 'domain', kind: 'string', doc: 'The domain of the device (default: maas).' },
        { name: 'parent', kind: 'string', doc: 'The system id of the parent machine.' },
        { name: 'description', kind: 'string', doc: 'A description of the device.' },
      ],
      run: async ({ region, request, input }) => {
        const owner = requireUsername(request.user);
        const macs = macsOf(input.list('mac_addresses') ?? [], 'mac_addresses');
        if (macs.length === 0)
          throw validationError({ mac_addresses: ['This field is required.'] });
        const systemId = generateSystemId();
        const hostname = input.string('hostname') ?? `device-${systemId}`;
        if (!HOSTNAME.test(hostname) || isIP(hostname) !== 0)
          throw validationError({ hostname: [`Invalid hostname: ${hostname}.`] });
        const domain = await domainByKey(region.db, input.string('domain') ?? 'maas').catch(() => {
          throw validationError({ domain: [`Unknown domain ${input.string('domain') ?? ''}.`] });
        });
        const parent = input.string('parent') ?? null;
        if (parent !== null) {
          const machine = await region.db
            .selectFrom('machines')
            .select('id')
            .where('system_id', '=', parent)
            .executeTakeFirst();
          if (machine === undefined)
            throw validationError({ parent: [`Unknown machine ${parent}.`] });
        }
        const created = await region.db.transaction().execute(async (tx) => {
          const device = await tx
            .insertInto('devices')
            .values({
              system_id: systemId,
              hostname,
              domain: domain.name,
              parent,
              owner,
              description: input.string('description') ?? '',
              created: nowIso(),
            })
            .returningAll()
            .executeTakeFirstOrThrow();
          for (const [index, mac] of macs.entries()) {
            await tx
              .insertInto('device_interfaces')
              .values({
                device_id: device.id,
                name: `eth${String(index)}`,
                mac_address: mac,
                vlan_id: null,
                created: nowIso(),
              })
              .execute();
          }
          return device;
        });
        return json(await deviceJson(region.db, created));
      },
    },
  ],
};

export const deviceHandler: HandlerDeclaration = {
  name: 'DeviceHandler',
  doc: 'Manage an individual device.',
  path: 'devices/{system_id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a device',
      run: async ({ region, request }) =>
        json(
          await deviceJson(
            region.db,
            await deviceBySystemId(region.db, request.params['system_id'] ?? ''),
          ),
        ),
    },
    {
      method: 'DELETE',
      op: null,
      doc: 'Delete a device\n\nIts owner or an administrator may delete it.',
      run: async ({ region, request }) => {
        const device = await deviceBySystemId(region.db, request.params['system_id'] ?? '');
        const user = request.user;
        if (user === null || (user.is_admin !== 1 && user.username !== device.owner))
          throw new AppError(
            'DEVICE_NOT_OWNER',
            'You do not have permission to delete this device.',
          );
        await region.db.deleteFrom('devices').where('id', '=', device.id).execute();
        return deleted();
      },
    },
  ],
};
