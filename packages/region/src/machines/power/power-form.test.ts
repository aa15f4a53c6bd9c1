import { describe, expect, it } from 'vitest';
import { createDefaultPowerRegistry, powerParametersFromForm } from './index.js';

describe('powerParametersFromForm', () => {
  it('collects power_parameters_<name> fields (maascli, Terraform)', () => {
    const input = powerParametersFromForm({
      hostname: 'node-1',
      power_type: 'ipmi',
      power_parameters_power_address: '10.0.0.5',
      power_parameters_power_user: 'admin',
      power_parameters_workaround_flags: ['authcap', 'idzero'],
      power_parameters_power_pass: ['only-one'],
    });
    expect(input).toEqual({
      skipCheck: false,
      params: {
        power_address: '10.0.0.5',
        power_user: 'admin',
        workaround_flags: ['authcap', 'idzero'],
        power_pass: 'only-one',
      },
    });
    const validated = createDefaultPowerRegistry().validate('ipmi', input.params);
    expect(validated.params).toMatchObject({
      power_address: '10.0.0.5',
      workaround_flags: ['authcap', 'idzero'],
    });
  });

  it('parses the power_parameters JSON of enlistment', () => {
    const json = JSON.stringify({
      power_address: '10.0.0.9',
      power_user: 'maas',
      cipher_suite_id: 17,
      flags: ['a'],
    });
    expect(powerParametersFromForm({ power_parameters: [json] })).toEqual({
      skipCheck: false,
      params: {
        power_address: '10.0.0.9',
        power_user: 'maas',
        cipher_suite_id: '17',
        flags: ['a'],
      },
    });
  });

  it('reports no parameters, and the skip_check flag', () => {
    expect(powerParametersFromForm({ hostname: 'x' })).toEqual({
      params: undefined,
      skipCheck: false,
    });
    expect(
      powerParametersFromForm({
        power_parameters_skip_check: 'True',
        power_parameters_power_address: 'h',
      }),
    ).toEqual({ params: { power_address: 'h' }, skipCheck: true });
  });

  it.each([
    [{ power_parameters: '{nope' }, 'power_parameters is not valid JSON.'],
    [{ power_parameters: '[1]' }, 'power_parameters must be a JSON object.'],
    [{ power_parameters: 'null' }, 'power_parameters must be a JSON object.'],
    [
      { power_parameters: '{"a": {"b": 1}}' },
      'power_parameters.a must be a string or a list of strings.',
    ],
    [
      { power_parameters: '{"a": [1]}' },
      'power_parameters.a must be a string or a list of strings.',
    ],
    [
      { power_parameters: '{}', power_parameters_power_address: 'h' },
      'Send power parameters either as power_parameters JSON or as power_parameters_<name> fields, not both.',
    ],
  ])('rejects %j', (form, message) => {
    expect(() => powerParametersFromForm(form)).toThrow(
      expect.objectContaining({ code: 'POWER_PARAMETERS_INVALID', status: 400, message }) as Error,
    );
  });
});
