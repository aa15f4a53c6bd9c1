import type { Kysely } from 'kysely';
import type { ValidatedForm } from '../api/index.js';
import type { Database } from '../db/index.js';
import { validationError } from '../domain-errors.js';
import type { VlanRow } from './tables.js';

export interface VlanValues {
  readonly vid: number;
  readonly name: string;
  readonly mtu: number;
  readonly dhcp_on: number;
  readonly primary_rack: string | null;
  readonly secondary_rack: string | null;
}

async function rackExists(db: Kysely<Database>, systemId: string): Promise<boolean> {
  const row = await db
    .selectFrom('rack_controllers')
    .select('id')
    .where('system_id', '=', systemId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Empty text clears a rack reference, as the MAAS CLI does with `primary_rack=`. */
function rackField(input: ValidatedForm, name: string, current: string | null): string | null {
  if (!input.has(name)) return current;
  const value = input.string(name) ?? '';
  return value === '' ? null : value;
}

/**
 * Validates a VLAN create (existing null) or update. Turning DHCP on needs a primary rack that
 * exists and a dynamic range on one of the VLAN's subnets (MAAS refuses it otherwise too).
 */
export async function vlanValues(
  db: Kysely<Database>,
  fabricId: number,
  input: ValidatedForm,
  existing: VlanRow | null,
): Promise<VlanValues> {
  const errors: Record<string, string[]> = {};
  const vid = input.int('vid') ?? existing?.vid;
  if (vid === undefined) errors.vid = ['This field is required.'];
  else if (vid < 0 || vid > 4094) errors.vid = ['VID must be between 0 and 4094.'];
  else {
    const clash = await db
      .selectFrom('vlans')
      .select('id')
      .where('fabric_id', '=', fabricId)
      .where('vid', '=', vid)
      .where('id', '!=', existing?.id ?? 0)
      .executeTakeFirst();
    if (clash !== undefined) errors.vid = [`VLAN ${vid} already exists on this fabric.`];
  }
  const mtu = input.int('mtu') ?? existing?.mtu ?? 1500;
  if (mtu < 552 || mtu > 65535) errors.mtu = ['MTU must be between 552 and 65535.'];
  const primary = rackField(input, 'primary_rack', existing?.primary_rack ?? null);
  const secondary = rackField(input, 'secondary_rack', existing?.secondary_rack ?? null);
  for (const [name, value] of [
    ['primary_rack', primary],
    ['secondary_rack', secondary],
  ] as const) {
    if (value !== null && !(await rackExists(db, value)))
      errors[name] = [`No rack controller with system_id ${value}.`];
  }
  const dhcpOn = input.bool('dhcp_on') ?? existing?.dhcp_on === 1;
  if (dhcpOn && primary === null)
    errors.dhcp_on = ['dhcp can only be turned on when a primary rack controller is set.'];
  else if (dhcpOn) {
    const dynamic = await db
      .selectFrom('ipranges')
      .innerJoin('subnets', 'subnets.id', 'ipranges.subnet_id')
      .select('ipranges.id')
      .where('subnets.vlan_id', '=', existing?.id ?? 0)
      .where('ipranges.type', '=', 'dynamic')
      .executeTakeFirst();
    if (dynamic === undefined)
      errors.dhcp_on = ['dhcp can only be turned on when a dynamic IP range is defined.'];
  }
  if (Object.keys(errors).length > 0) throw validationError(errors);
  return {
    vid: vid ?? 0,
    name: input.string('name') ?? existing?.name ?? '',
    mtu,
    dhcp_on: dhcpOn ? 1 : 0,
    primary_rack: primary,
    secondary_rack: secondary,
  };
}
