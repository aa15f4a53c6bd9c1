import { powerTypeDescriptionSchema } from '@kiln/protocol';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { findExecutable } from './find-executable.js';
import {
  createDefaultPowerRegistry,
  createPowerRegistry,
  manualPowerDriver,
  type PowerDriver,
} from './index.js';

const registry = createDefaultPowerRegistry();

// Minimal valid parameters per driver, used to read the schema's defaults.
const MINIMAL: Record<string, Record<string, string>> = {
  manual: {},
  webhook: {
    power_on_uri: 'http://h/on',
    power_off_uri: 'http://h/off',
    power_query_uri: 'http://h/q',
  },
  ipmi: { power_address: '10.0.0.1' },
  redfish: { power_address: '10.0.0.2', power_user: 'u', power_pass: 'p' },
  qemu: { power_address: '/run/vm1.qmp' },
};

describe('power registry', () => {
  it('registers the five built-in drivers', () => {
    expect(registry.names()).toEqual(['ipmi', 'manual', 'qemu', 'redfish', 'webhook']);
  });

  it('describes power types in MAAS describe_power_types shape', async () => {
    const described = await registry.describe();
    expect(described.map((d) => d.name)).toEqual(registry.names());
    for (const entry of described) expect(powerTypeDescriptionSchema.parse(entry)).toEqual(entry);
    const webhook = described.find((d) => d.name === 'webhook');
    expect(webhook?.fields.map((f) => f.name)).toEqual([
      'power_on_uri', 'power_off_uri', 'power_query_uri', 'power_on_regex', 'power_off_regex',
      'power_user', 'power_pass', 'power_token', 'power_verify_ssl',
    ]); // prettier-ignore
    expect(webhook?.fields.find((f) => f.name === 'power_pass')).toEqual({
      name: 'power_pass',
      label: 'Power password',
      required: false,
      field_type: 'password',
      choices: [],
      default: '',
      scope: 'bmc',
      secret: true,
    });
    const ipmi = described.find((d) => d.name === 'ipmi');
    const wantMissing = (await findExecutable('ipmitool')) === undefined ? ['ipmitool'] : [];
    expect(ipmi?.missing_packages).toEqual(wantMissing);
    expect(described.find((d) => d.name === 'manual')).toMatchObject({
      queryable: false,
      fields: [],
    });
  });

  it.each(registry.names())('%s: fields and parameter schema agree, defaults included', (name) => {
    const driver = registry.get(name);
    const shape = (driver.parametersSchema as unknown as z.ZodObject).shape;
    expect(driver.fields.map((f) => f.name).sort()).toEqual(Object.keys(shape).sort());
    const parsed = registry.validate(name, MINIMAL[name]).params as Record<string, unknown>;
    for (const field of driver.fields) {
      if (field.name in (MINIMAL[name] ?? {})) continue;
      expect(parsed[field.name], field.name).toEqual(field.default);
      if (field.field_type === 'choice') {
        expect(field.choices.map(([value]) => value)).toContain(field.default);
      }
      if (field.required)
        expect(field.default, `${field.name} is required without default`).not.toBe('');
    }
  });

  it('names the valid types for an unknown power type', () => {
    expect(() => registry.get('amt')).toThrow(
      expect.objectContaining({
        code: 'POWER_TYPE_UNKNOWN',
        status: 400,
        message:
          "Unknown power type 'amt'. Valid power types: ipmi, manual, qemu, redfish, webhook.",
      }) as Error,
    );
  });

  it('reports every bad field at once, in MAAS form-error shape', () => {
    let error: unknown;
    try {
      registry.validate('redfish', { power_address: 'ftp://x', power_colour: 'red' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'POWER_PARAMETERS_INVALID',
      status: 400,
      details: {
        powerType: 'redfish',
        fields: {
          power_address: ['Enter a valid address.'],
          power_user: ['This field is required.'],
          power_pass: ['This field is required.'],
          power_colour: ['Unknown power parameter.'],
        },
      },
    });
    expect((error as Error).message).toMatch(
      /^Invalid power parameters for power type 'redfish': /,
    );
  });

  it('rejects parameters that are not an object', () => {
    expect(() => registry.validate('qemu', 'socket')).toThrow('__all__');
    expect(registry.validate('manual', undefined).params).toEqual({});
  });

  it('refuses two drivers with one name', () => {
    const twice: PowerDriver[] = [manualPowerDriver, manualPowerDriver];
    expect(() => createPowerRegistry(twice)).toThrow('power driver manual registered twice');
  });
});
