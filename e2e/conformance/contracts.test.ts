import { expect, it } from 'vitest';
import { apiFetch, describeRegion, formBody, type TestRegion } from '@kiln/region/testing';
import { commissionedMachines } from './support/machines.js';

/**
 * What a strict client requires of each resource's JSON (gomaasapi's schemas and the maas CLI's
 * reads): field → accepted JSON types. Removing a field or changing its type fails here.
 */
type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'null';
type Contract = Readonly<Record<string, readonly Kind[]>>;

const S = ['string'] as const;
const N = ['number'] as const;
const B = ['boolean'] as const;
const A = ['array'] as const;
const O = ['object'] as const;
const S0 = ['string', 'null'] as const;
const O0 = ['object', 'null'] as const;

const CONTRACTS = {
  machine: {
    resource_uri: S,
    system_id: S,
    hostname: S,
    fqdn: S,
    tag_names: A,
    owner_data: O,
    osystem: S,
    distro_series: S,
    architecture: S0,
    memory: N,
    cpu_count: N,
    hardware_info: O,
    ip_addresses: A,
    power_state: S,
    status_name: S,
    status_message: S0,
    boot_interface: O0,
    interface_set: A,
    zone: O,
    pool: O0,
    physicalblockdevice_set: A,
    blockdevice_set: A,
    status: N,
    domain: O,
  },
  blockdevice: {
    resource_uri: S,
    id: N,
    uuid: S0,
    name: S,
    model: S0,
    id_path: S0,
    path: S,
    used_for: S,
    tags: A,
    block_size: N,
    used_size: N,
    size: N,
    filesystem: O0,
    partitions: A,
  },
  interface: {
    resource_uri: S,
    id: N,
    name: S,
    type: S,
    enabled: B,
    tags: A,
    vlan: O0,
    links: A,
    mac_address: S0,
    effective_mtu: N,
    parents: A,
    children: A,
  },
  zone: { name: S, description: S, resource_uri: S },
  pool: { name: S, description: S, resource_uri: S },
  space: { resource_uri: S, id: N, name: S, subnets: A },
  fabric: { resource_uri: S, id: N, name: S, class_type: S0, vlans: A },
  vlan: {
    id: N,
    resource_uri: S,
    name: S0,
    fabric: S,
    vid: N,
    mtu: N,
    dhcp_on: B,
    primary_rack: S0,
    secondary_rack: S0,
  },
  subnet: {
    resource_uri: S,
    id: N,
    name: S,
    space: S,
    gateway_ip: S0,
    cidr: S,
    vlan: O,
    dns_servers: A,
  },
  static_route: { resource_uri: S, id: N, source: O, destination: O, gateway_ip: S, metric: N },
  domain: {
    authoritative: B,
    resource_record_count: N,
    ttl: ['number', 'null'],
    resource_uri: S,
    id: N,
    name: S,
  },
  device: {
    resource_uri: S,
    system_id: S,
    hostname: S,
    fqdn: S,
    parent: S0,
    owner: S0,
    ip_addresses: A,
    interface_set: A,
    zone: O,
    pool: O0,
  },
  file: { resource_uri: S, filename: S, anon_resource_uri: S },
  sshkey: { id: N, key: S, resource_uri: S },
  boot_resource: { resource_uri: S, id: N, name: S, type: S, architecture: S },
  user: { username: S, email: S0, is_superuser: B, resource_uri: S },
} as const satisfies Record<string, Contract>;

function kindOf(value: unknown): Kind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as Kind;
}

function violations(contract: Contract, body: unknown): string[] {
  const object = body as Record<string, unknown>;
  return Object.entries(contract).flatMap(([field, kinds]) =>
    field in object
      ? kinds.includes(kindOf(object[field]))
        ? []
        : [`${field}: ${kindOf(object[field])} is not ${kinds.join('|')}`]
      : [`${field}: missing`],
  );
}

describeRegion('resource contracts for strict MAAS clients', (region) => {
  const get = async (path: string): Promise<unknown> => {
    const response = await apiFetch(region().url, path, { apiKey: region().adminApiKey });
    expect(response.status, path).toBe(200);
    return response.json();
  };
  const post = async (path: string, form: Record<string, string>): Promise<unknown> => {
    const response = await apiFetch(region().url, path, {
      apiKey: region().adminApiKey,
      method: 'POST',
      body: formBody(form),
    });
    expect(response.status, `${path}: ${await response.clone().text()}`).toBeLessThan(300);
    return response.json();
  };
  const first = (list: unknown): unknown => (list as unknown[])[0];

  it('every resource carries the fields, types and nullability strict clients require', async () => {
    const r: TestRegion = region();
    const [id = ''] = await commissionedMachines(r, ['contract-1']);
    const machine = (await get(`machines/${id}/`)) as {
      blockdevice_set: unknown[];
      interface_set: unknown[];
    };
    const subnet = (await post('subnets/', { cidr: '10.30.0.0/24' })) as { id: number };
    const other = (await post('subnets/', { cidr: '10.40.0.0/24' })) as { id: number };
    const form = new FormData();
    form.append('filename', 'contract');
    form.append('file', new Blob(['x']), 'contract');
    const file = await apiFetch(r.url, 'files/?op=add', {
      apiKey: r.adminApiKey,
      method: 'POST',
      body: form,
    });
    expect(file.status).toBe(201);
    const bodies: Record<keyof typeof CONTRACTS, unknown> = {
      machine,
      blockdevice: machine.blockdevice_set[0],
      interface: machine.interface_set[0],
      zone: first(await get('zones/')),
      pool: first(await get('resourcepools/')),
      space: first(await get('spaces/')),
      fabric: first(await get('fabrics/')),
      vlan: (first(await get('fabrics/')) as { vlans: unknown[] }).vlans[0],
      subnet: await get(`subnets/${String(subnet.id)}/`),
      static_route: await post('static-routes/', {
        source: String(subnet.id),
        destination: String(other.id),
        gateway_ip: '10.30.0.1',
      }),
      domain: first(await get('domains/')),
      device: await post('devices/', {
        mac_addresses: '52:54:00:c7:00:01',
        hostname: 'contract-dev',
      }),
      file: first(await get('files/')),
      sshkey: await post('account/prefs/sshkeys/', {
        key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ0Y3Vz4m8b5e8a3kP8x2C1pQ9x8z7y6w5v4u3t2s1r c@t',
      }),
      boot_resource: first(await get('boot-resources/')),
      user: await get('users/?op=whoami'),
    };
    const failures: Record<string, string[]> = {};
    for (const [name, contract] of Object.entries(CONTRACTS)) {
      const found = violations(contract, bodies[name as keyof typeof CONTRACTS]);
      if (found.length > 0) failures[name] = found;
    }
    expect(failures).toEqual({});
  });

  it('a contract catches a removed field', () => {
    expect(violations(CONTRACTS.blockdevice, { id: 1 })).toContain('used_size: missing');
  });
});
