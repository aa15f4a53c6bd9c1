import type { Kysely } from 'kysely';
import type { ValidatedForm } from '../api/index.js';
import type { Database } from '../db/index.js';
import { validationError } from '../domain-errors.js';
import { cidrContains, parseCidr, parseIp } from './ip-math.js';
import type { SubnetRow } from './tables.js';

export interface SubnetValues {
  readonly name: string;
  readonly cidr: string;
  readonly gateway_ip: string | null;
  readonly dns_servers: string;
  readonly vlan_id: number;
}

/** MAAS accepts dns_servers repeated or as one space/comma separated string. */
function dnsList(input: ValidatedForm): string[] | undefined {
  const values = input.list('dns_servers');
  if (values === undefined) return undefined;
  return values.flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== '');
}

async function vlanIdFrom(db: Kysely<Database>, input: ValidatedForm, current: number | null) {
  const vlan = input.int('vlan');
  if (vlan !== undefined) {
    const row = await db.selectFrom('vlans').select('id').where('id', '=', vlan).executeTakeFirst();
    if (row === undefined) throw validationError({ vlan: [`No VLAN with id ${vlan}.`] });
    return row.id;
  }
  const fabric = input.int('fabric');
  const vid = input.int('vid');
  if (fabric !== undefined || vid !== undefined || current === null) {
    const row = await db
      .selectFrom('vlans')
      .select('id')
      .where('fabric_id', '=', fabric ?? 1)
      .where('vid', '=', vid ?? 0)
      .executeTakeFirst();
    if (row === undefined)
      throw validationError({ vid: [`No VLAN ${vid ?? 0} on fabric ${fabric ?? 1}.`] });
    return row.id;
  }
  return current;
}

/**
 * Validates a create (existing null) or update of a subnet; every problem is reported against
 * its field, and nothing is written until all fields are good.
 */
export async function subnetValues(
  db: Kysely<Database>,
  input: ValidatedForm,
  existing: SubnetRow | null,
): Promise<SubnetValues> {
  const errors: Record<string, string[]> = {};
  const cidrText = input.string('cidr') ?? existing?.cidr;
  const cidr = cidrText === undefined ? null : parseCidr(cidrText);
  if (cidrText === undefined) errors.cidr = ['This field is required.'];
  else if (cidr === null) errors.cidr = [`"${cidrText}" is not a valid CIDR (e.g. 10.0.0.0/24).`];
  else {
    const clash = await db
      .selectFrom('subnets')
      .select('id')
      .where('cidr', '=', cidr.text)
      .where('id', '!=', existing?.id ?? 0)
      .executeTakeFirst();
    if (clash !== undefined) errors.cidr = [`Subnet with this cidr (${cidr.text}) already exists.`];
  }
  const gatewayText = input.has('gateway_ip')
    ? (input.string('gateway_ip') ?? '')
    : (existing?.gateway_ip ?? '');
  const gateway = gatewayText === '' ? null : parseIp(gatewayText);
  if (gatewayText !== '' && gateway === null)
    errors.gateway_ip = [`"${gatewayText}" is not a valid IP address.`];
  else if (gateway !== null && cidr !== null && !cidrContains(cidr, gateway))
    errors.gateway_ip = [`Gateway IP must be within CIDR range ${cidr.text}.`];
  const dns = dnsList(input) ?? (JSON.parse(existing?.dns_servers ?? '[]') as string[]);
  const badDns = dns.filter((server) => parseIp(server) === null);
  if (badDns.length > 0) errors.dns_servers = [`Not IP addresses: ${badDns.join(', ')}.`];
  if (Object.keys(errors).length > 0) throw validationError(errors);
  const vlanId = await vlanIdFrom(db, input, existing?.vlan_id ?? null);
  const canonical = cidr?.text ?? '';
  return {
    name: input.string('name') ?? existing?.name ?? canonical,
    cidr: canonical,
    gateway_ip: gatewayText === '' ? null : gatewayText,
    dns_servers: JSON.stringify(dns),
    vlan_id: vlanId,
  };
}
