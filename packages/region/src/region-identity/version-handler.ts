import type { Version } from '@kiln/protocol';
import type { HandlerDeclaration } from '../api/index.js';
import { json } from '../api/index.js';

/** The MAAS API version Kiln speaks; `subversion` says it is Kiln. */
export const API_VERSION: Version = {
  capabilities: [
    'networks-management',
    'static-ipaddresses',
    'ipv6-deployment-ubuntu',
    'devices-management',
    'storage-deployment-ubuntu',
    'network-deployment-ubuntu',
    'bridging-interface-ubuntu',
    'bridging-automatic-ubuntu',
    'authenticate-api',
  ],
  version: '3.6.5',
  subversion: 'kiln-0.1.0',
};

export const versionHandler: HandlerDeclaration = {
  name: 'VersionHandler',
  doc: 'Information about this MAAS instance.\n\nThis returns a JSON dictionary with information about this MAAS instance.',
  path: 'version/',
  access: 'anon',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'MAAS version information\n\nReturns the version and capabilities of this MAAS API.',
      run: () => Promise.resolve(json(API_VERSION)),
    },
  ],
};
