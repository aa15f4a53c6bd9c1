import type { HandlerDeclaration } from '../api/index.js';
import { json, text } from '../api/index.js';
import { CONFIG_DEFINITIONS } from './config-definitions.js';
import { getConfigValue, setConfigValue } from './config-store.js';

const NAMES = CONFIG_DEFINITIONS.map((d) => `- ${d.name}: ${d.description}`).join('\n');

export const maasHandler: HandlerDeclaration = {
  name: 'MaasHandler',
  doc: 'Manage the MAAS server.',
  path: 'maas/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: 'get_config',
      doc: `Get a configuration value\n\nAvailable configuration items:\n\n${NAMES}`,
      fields: [
        {
          name: 'name',
          kind: 'string',
          required: true,
          doc: 'The name of the configuration item to be retrieved.',
        },
      ],
      run: async ({ input, region }) =>
        json(await getConfigValue(region.db, region.config, input.string('name') ?? '')),
    },
    {
      method: 'POST',
      op: 'set_config',
      admin: true,
      doc: `Set a configuration value\n\nAvailable configuration items:\n\n${NAMES}`,
      fields: [
        {
          name: 'name',
          kind: 'string',
          required: true,
          doc: 'The name of the configuration item to be set.',
        },
        { name: 'value', kind: 'string', doc: 'The value of the configuration item to be set.' },
      ],
      run: async ({ input, request, region }) => {
        const name = input.string('name') ?? '';
        const value = await setConfigValue(region.db, name, input.string('value') ?? '');
        request.log.info({ name, value }, 'configuration changed');
        return text('OK');
      },
    },
  ],
};
