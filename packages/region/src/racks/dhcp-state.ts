import type { Kysely } from 'kysely';
import type { DhcpHost, DhcpState } from '@kiln/protocol';
import type { Database } from '../db/index.js';
import { cidrBounds, cidrContains, formatIp, parseCidr, parseIp } from './ip-math.js';
import { bumpNetworkVersion, networkVersion } from './network-json.js';
import type { SubnetRow } from './tables.js';

/** How far one allocation scans a subnet for a free address (a /16 of reservations is plenty). */
const MAX_SCAN = 65_536;

type Db = Kysely<Database>;

function hostLabel(hostname: string): string {
  const label = (hostname.split('.')[0] ?? '').replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63);
  return /^[A-Za-z0-9]/.test(label) ? label : `host-${label}`.slice(0, 63);
}

/** Addresses a reservation must not take: ranges, the gateway, DNS servers, other reservations. */
async function takenIn(db: Db, subnet: SubnetRow): Promise<(ip: bigint) => boolean> {
  const ranges = await db
    .selectFrom('ipranges')
    .selectAll()
    .where('subnet_id', '=', subnet.id)
    .execute();
  const reservations = await db.selectFrom('dhcp_reservations').select('ip').execute();
  const racks = await db.selectFrom('rack_controllers').select('interfaces').execute();
  const single = new Set<bigint>();
  for (const text of [
    subnet.gateway_ip,
    ...(JSON.parse(subnet.dns_servers) as string[]),
    ...reservations.map((r) => r.ip),
    ...racks.flatMap((r) =>
      (JSON.parse(r.interfaces) as { addresses: string[] }[]).flatMap((i) =>
        i.addresses.map((a) => a.split('/')[0] ?? ''),
      ),
    ),
  ]) {
    const ip = text === null ? null : parseIp(text);
    if (ip !== null) single.add(ip.value);
  }
  const spans = ranges.flatMap((r) => {
    const a = parseIp(r.start_ip);
    const b = parseIp(r.end_ip);
    return a === null || b === null ? [] : [[a.value, b.value] as const];
  });
  return (ip) => single.has(ip) || spans.some(([a, b]) => ip >= a && ip <= b);
}

async function allocate(
  db: Db,
  mac: string,
  subnets: readonly SubnetRow[],
): Promise<string | null> {
  for (const subnet of subnets) {
    const cidr = parseCidr(subnet.cidr);
    if (cidr?.family !== 4) continue;
    const taken = await takenIn(db, subnet);
    const { first, last } = cidrBounds(cidr);
    for (let ip = first + 1n, n = 0; ip < last && n < MAX_SCAN; ip += 1n, n += 1) {
      if (taken(ip)) continue;
      const text = formatIp(4, ip);
      await db
        .insertInto('dhcp_reservations')
        .values({ mac, ip: text, subnet_id: subnet.id })
        .execute();
      await bumpNetworkVersion(db);
      return text;
    }
  }
  return null;
}

/**
 * The DHCP state a rack renders dnsmasq from (protocol DhcpStateSchema): the whole network model,
 * plus one fixed address per known machine MAC on a subnet whose VLAN has DHCP on. A machine
 * that already has an address on such a subnet keeps it; otherwise the first free address outside
 * every range is reserved for it (in the same transaction, so two racks never hand out one twice).
 */
export async function buildDhcpState(db: Db): Promise<DhcpState> {
  return db.transaction().execute(async (trx) => {
    const vlans = await trx.selectFrom('vlans').selectAll().orderBy('id').execute();
    const subnets = await trx.selectFrom('subnets').selectAll().orderBy('id').execute();
    const ranges = await trx.selectFrom('ipranges').selectAll().orderBy('id').execute();
    const dhcpVlans = new Set(vlans.filter((v) => v.dhcp_on === 1).map((v) => v.id));
    const served = subnets.filter((s) => dhcpVlans.has(s.vlan_id));
    const interfaces = await trx
      .selectFrom('interfaces')
      .innerJoin('machines', 'machines.id', 'interfaces.machine_id')
      .select(['interfaces.mac_address', 'interfaces.ip_address', 'machines.hostname'])
      .where('interfaces.mac_address', 'is not', null)
      .orderBy('interfaces.id')
      .execute();
    const existing = new Map(
      (await trx.selectFrom('dhcp_reservations').selectAll().execute()).map((r) => [r.mac, r.ip]),
    );
    const hosts: DhcpHost[] = [];
    const seen = new Set<string>();
    for (const iface of interfaces) {
      const mac = (iface.mac_address ?? '').toLowerCase();
      if (seen.has(mac)) continue;
      seen.add(mac);
      const own = iface.ip_address === null ? null : parseIp(iface.ip_address);
      const onServed =
        own !== null &&
        served.some((s) => {
          const cidr = parseCidr(s.cidr);
          return cidr !== null && cidrContains(cidr, own);
        });
      const ip = onServed
        ? iface.ip_address
        : (existing.get(mac) ?? (await allocate(trx, mac, served)));
      if (ip !== null) hosts.push({ mac, ip, hostname: hostLabel(iface.hostname) });
    }
    return {
      version: await networkVersion(trx),
      subnets: subnets.map((s) => ({
        id: s.id,
        name: s.name,
        cidr: s.cidr,
        gateway_ip: s.gateway_ip,
        dns_servers: JSON.parse(s.dns_servers) as string[],
        vlan: s.vlan_id,
      })),
      vlans: vlans.map((v) => ({
        id: v.id,
        vid: v.vid,
        name: v.name,
        dhcp_on: v.dhcp_on === 1,
        primary_rack: v.primary_rack,
        secondary_rack: v.secondary_rack,
      })),
      ipranges: ranges.map((r) => ({
        id: r.id,
        type: r.type === 'dynamic' ? ('dynamic' as const) : ('reserved' as const),
        start_ip: r.start_ip,
        end_ip: r.end_ip,
        subnet: r.subnet_id,
        comment: r.comment,
      })),
      hosts,
    };
  });
}
