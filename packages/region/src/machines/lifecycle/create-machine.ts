import { AppError } from '@kiln/node-kit';
import { NODE_STATUS, assertTransition } from '@kiln/protocol';
import { nowIso } from '../../db/index.js';
import { validationError } from '../../domain-errors.js';
import { recordEvent } from '../../events/index.js';
import type { RegionContext } from '../../region-context.js';
import {
  generateHostname,
  generateSystemId,
  isValidHostname,
  normaliseMac,
} from '../repository/names.js';
import { namedId, updateMachine } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { machineServices } from '../services.js';

export interface NewMachineInput {
  readonly architecture: string;
  readonly macAddresses: readonly string[];
  readonly hostname?: string | undefined;
  readonly description?: string | undefined;
  readonly powerType?: string | undefined;
  readonly powerParameters?: Record<string, string | string[]> | undefined;
  readonly skipPowerCheck?: boolean | undefined;
  readonly zone?: string | undefined;
  readonly pool?: string | undefined;
  /** Anonymous enlistment (spec §4.3): deduplicated, remembered as enlisting. */
  readonly enlisting: boolean;
  readonly username?: string | null;
}

const ARCH = /^[a-z0-9_]+(\/[a-z0-9_.-]+)?$/;

function checkInput(input: NewMachineInput): { macs: string[]; architecture: string } {
  const errors: Record<string, string[]> = {};
  if (!ARCH.test(input.architecture)) {
    errors.architecture = [
      `'${input.architecture}' is not a valid architecture (e.g. amd64/generic).`,
    ];
  }
  const macs = input.macAddresses
    .flatMap((m) => m.split(','))
    .map((m) => m.trim())
    .filter((m) => m !== '' && normaliseMac(m) !== '02:00:00:00:00:02');
  const bad = macs.filter((m) => normaliseMac(m) === null);
  if (macs.length === 0) errors.mac_addresses = ['This field is required.'];
  else if (bad.length > 0)
    errors.mac_addresses = bad.map((m) => `'${m}' is not a valid MAC address.`);
  if (
    input.hostname !== undefined &&
    input.hostname !== '' &&
    !isValidHostname(input.hostname.split('.')[0] ?? '')
  ) {
    errors.hostname = [`'${input.hostname}' is not a valid hostname.`];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const architecture = input.architecture.includes('/')
    ? input.architecture
    : `${input.architecture}/generic`;
  return { macs: [...new Set(macs.map((m) => normaliseMac(m) ?? m))], architecture };
}

/** The machine enlistment should update instead of duplicating: same MAC or same BMC address. */
async function enlistedTwin(
  region: RegionContext,
  macs: readonly string[],
  powerAddress: string | undefined,
) {
  const booting = [NODE_STATUS.NEW, NODE_STATUS.COMMISSIONING];
  const byMac = await region.db
    .selectFrom('machines')
    .innerJoin('interfaces', 'interfaces.machine_id', 'machines.id')
    .selectAll('machines')
    .where('interfaces.mac_address', 'in', [...macs])
    .executeTakeFirst();
  if (byMac !== undefined) return byMac;
  if (powerAddress === undefined || powerAddress === '') return undefined;
  const rows = await region.db
    .selectFrom('machines')
    .selectAll()
    .where('status', 'in', booting)
    .execute();
  return rows.find(
    (m) =>
      (JSON.parse(m.power_parameters) as Record<string, unknown>).power_address === powerAddress,
  );
}

export async function createMachine(
  region: RegionContext,
  input: NewMachineInput,
): Promise<MachineRow> {
  const { macs, architecture } = checkInput(input);
  const powerType = input.powerType ?? 'manual';
  const params =
    input.skipPowerCheck === true
      ? (input.powerParameters ?? {})
      : machineServices(region).power.validate(powerType, input.powerParameters ?? {}).params;
  const powerJson = JSON.stringify(params);
  if (input.enlisting) {
    const twin = await enlistedTwin(
      region,
      macs,
      input.powerParameters?.power_address as string | undefined,
    );
    if (twin !== undefined) {
      if (twin.status !== NODE_STATUS.NEW && twin.status !== NODE_STATUS.COMMISSIONING) {
        throw new AppError(
          'MACHINE_ALREADY_REGISTERED',
          `A machine with MAC ${macs.join(', ')} is already registered.`,
          {
            details: {
              fields: {
                mac_addresses: [
                  `Machine ${twin.system_id} already has one of these MAC addresses.`,
                ],
              },
            },
          },
        );
      }
      return updateMachine(region.db, twin.id, {
        architecture,
        power_type: powerType,
        power_parameters: powerJson,
        enlisting: 1,
      });
    }
  }
  assertTransition(null, NODE_STATUS.NEW);
  const zoneId = await namedId(region.db, 'zones', 'zone', input.zone ?? 'default');
  const poolId = await namedId(region.db, 'resource_pools', 'pool', input.pool ?? 'default');
  return region.db.transaction().execute(async (trx) => {
    const usedMacs = await trx
      .selectFrom('interfaces')
      .select('mac_address')
      .where('mac_address', 'in', macs)
      .execute();
    if (usedMacs.length > 0) {
      throw validationError({
        mac_addresses: usedMacs.map((t) => `MAC address ${t.mac_address ?? ''} already in use.`),
      });
    }
    const taken = async (name: string) =>
      (await trx
        .selectFrom('machines')
        .select('id')
        .where('hostname', '=', name)
        .executeTakeFirst()) !== undefined;
    const systemId = generateSystemId();
    let hostname: string;
    if (input.hostname === undefined || input.hostname === '') {
      // Generated names are few; on a collision fall back to one made unique by the system_id.
      hostname = generateHostname();
      for (let attempt = 0; attempt < 5 && (await taken(hostname)); attempt += 1)
        hostname = generateHostname();
      if (await taken(hostname)) hostname = `${hostname}-${systemId}`;
    } else {
      hostname = input.hostname.split('.')[0] ?? '';
    }
    const clash = (await taken(hostname)) ? hostname : undefined;
    if (clash !== undefined)
      throw validationError({ hostname: [`Node with hostname "${hostname}" already exists.`] });
    const now = nowIso();
    const machine = await trx
      .insertInto('machines')
      .values({
        system_id: systemId,
        hostname,
        description: input.description ?? '',
        architecture,
        status: NODE_STATUS.NEW,
        previous_status: NODE_STATUS.NEW,
        status_expires: null,
        owner: null,
        hwe_kernel: null,
        user_data: null,
        firmware: null,
        hardware_uuid: null,
        boot_rack_address: null,
        boot_rack_http_port: null,
        power_type: powerType,
        power_parameters: powerJson,
        enlisting: input.enlisting ? 1 : 0,
        zone_id: zoneId,
        pool_id: poolId,
        created: now,
        updated: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const [index, mac] of macs.entries()) {
      await trx
        .insertInto('interfaces')
        .values({
          machine_id: machine.id,
          name: `eth${index}`,
          mac_address: mac,
          vlan_id: null,
          ip_address: null,
          subnet_cidr: null,
          gateway_ip: null,
          speed_mbps: null,
        })
        .execute();
    }
    await recordEvent(trx, {
      type: input.enlisting ? 'Enlisted' : 'New',
      description: input.enlisting
        ? 'Machine enlisted itself'
        : `Added by ${input.username ?? 'unknown'}`,
      nodeSystemId: machine.system_id,
      nodeHostname: machine.hostname,
      username: input.username ?? null,
    });
    return machine;
  });
}
