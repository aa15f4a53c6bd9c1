import { describe, expect, it } from 'vitest';
import {
  MACHINE_FIELDS,
  POWER_STATES,
  MAAS_EVENT_TIME,
  formatEventTime,
  machineSummarySchema,
  nodeStatusSchema,
  powerStateResponseSchema,
  powerStateSchema,
  powerTypeDescriptionSchema,
  timelineEntrySchema,
} from './index.js';
import { EventSchema } from '../api/index.js';

const machine = {
  system_id: 'xk3n7s',
  hostname: 'node-1',
  description: '',
  fqdn: 'node-1.maas',
  domain: { id: 0, name: 'maas', authoritative: true },
  zone: { id: 1, name: 'default', description: '' },
  pool: { id: 0, name: 'default' },
  owner: null,
  locked: false,
  architecture: 'amd64/generic',
  cpu_count: 4,
  memory: 8192,
  storage: 256060.5,
  status: 4,
  status_name: 'Ready',
  status_message: null,
  status_action: '',
  osystem: '',
  distro_series: '',
  hwe_kernel: null,
  netboot: true,
  ephemeral_deploy: false,
  error_description: '',
  power_type: 'manual',
  power_state: 'unknown',
  tag_names: ['virtual'],
  ip_addresses: [],
  node_type: 0,
  node_type_name: 'Machine',
  resource_uri: '/MAAS/api/2.0/machines/xk3n7s/',
  // A field the summary does not model passes through.
  hardware_info: { system_vendor: 'QEMU' },
};

describe('machine wire schema', () => {
  it('lists the MAAS 3.6 machine fields once each', () => {
    expect(new Set(MACHINE_FIELDS).size).toBe(MACHINE_FIELDS.length);
    expect(MACHINE_FIELDS.length).toBe(81);
    expect(MACHINE_FIELDS).toContain('status_name');
    expect(MACHINE_FIELDS).toContain('resource_uri');
  });

  it('accepts a MAAS-shaped machine and keeps unknown fields', () => {
    const parsed = machineSummarySchema.parse(machine);
    expect(parsed.hardware_info).toEqual({ system_vendor: 'QEMU' });
    expect(parsed.status).toBe(4);
  });

  it.each([
    [{ status: 23, status_name: 'Ready' }, 'status'],
    [{ status: 6, status_name: 'Ready' }, 'status_name'],
    [{ power_state: 'sleeping' }, 'power_state'],
    [{ system_id: '' }, 'system_id'],
    [{ memory: -1 }, 'memory'],
  ])('rejects %j naming the field', (patch, field) => {
    const result = machineSummarySchema.safeParse({ ...machine, ...patch });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  it('validates status codes', () => {
    expect(nodeStatusSchema.safeParse(22).success).toBe(true);
    expect(nodeStatusSchema.safeParse(1.5).success).toBe(false);
    expect(nodeStatusSchema.safeParse(-1).success).toBe(false);
  });
});

describe('power schemas', () => {
  it('knows the four power states', () => {
    expect(POWER_STATES).toEqual(['on', 'off', 'unknown', 'error']);
    expect(powerStateSchema.safeParse('error').success).toBe(true);
    expect(powerStateResponseSchema.parse({ state: 'on' })).toEqual({ state: 'on' });
    expect(powerStateResponseSchema.safeParse({ state: 'up' }).success).toBe(false);
  });

  it('parses a describe_power_types entry', () => {
    const entry = {
      driver_type: 'power',
      name: 'webhook',
      description: 'Webhook',
      chassis: false,
      can_probe: false,
      queryable: true,
      missing_packages: [],
      fields: [
        {
          name: 'power_verify_ssl',
          label: 'Verify SSL connections with system CA certificates',
          required: true,
          field_type: 'choice',
          choices: [
            ['n', 'No'],
            ['y', 'Yes'],
          ],
          default: 'n',
          scope: 'bmc',
          secret: false,
        },
      ],
    };
    expect(powerTypeDescriptionSchema.parse(entry)).toEqual(entry);
    const bad = { ...entry, fields: [{ ...entry.fields[0], field_type: 'checkbox' }] };
    expect(powerTypeDescriptionSchema.safeParse(bad).success).toBe(false);
  });
});

describe('event schemas', () => {
  it.each([
    [Date.UTC(2023, 0, 13, 9, 8, 43), 'Fri, 13 Jan. 2023 09:08:43'],
    [Date.UTC(2026, 10, 22, 23, 59, 5), 'Sun, 22 Nov. 2026 23:59:05'],
  ])('formats %d like MAAS: %s', (ms, text) => {
    expect(formatEventTime(new Date(ms))).toBe(text);
  });

  it('produces times that match the format and the API event schema', () => {
    const created = formatEventTime(new Date(0));
    expect(created).toMatch(MAAS_EVENT_TIME);
    expect(MAAS_EVENT_TIME.test('2023-01-13T09:08:43Z')).toBe(false);
    const event = {
      id: 7,
      node: 'xk3n7s',
      hostname: 'node-1',
      username: null,
      level: 'INFO',
      created,
      type: 'Powering on',
      description: '',
    };
    expect(EventSchema.parse(event)).toEqual(event);
  });

  it('parses a timeline entry', () => {
    const entry = {
      phase: 'installing',
      level: 'INFO',
      description: 'cmd-install/stage-partitioning',
      started_at: '2026-11-22T05:00:00.000Z',
      finished_at: '2026-11-22T05:01:30.000Z',
      duration_seconds: 90,
    };
    expect(timelineEntrySchema.parse(entry)).toEqual(entry);
    expect(
      timelineEntrySchema.safeParse({ ...entry, finished_at: null, duration_seconds: null })
        .success,
    ).toBe(true);
    expect(timelineEntrySchema.safeParse({ ...entry, duration_seconds: -1 }).success).toBe(false);
    expect(timelineEntrySchema.safeParse({ ...entry, started_at: 'yesterday' }).success).toBe(
      false,
    );
  });
});
