import type { DescribeDocument } from '../describe.js';

/** A hand-written describe document with the shapes the MAAS describe view produces. */
export function describeFixture(API = 'http://127.0.0.1:9/MAAS/api/2.0'): DescribeDocument {
  const bootSources = {
    name: 'BootSourcesHandler',
    doc: 'Manage the collection of boot sources.',
    params: [],
    path: '/MAAS/api/2.0/boot-sources/',
    uri: `${API}/boot-sources/`,
    actions: [
      {
        method: 'POST',
        name: 'create',
        op: null,
        restful: true,
        doc: 'Create a boot source.\n\n:param url: Required. The URL of the BootSource.\n:type url: String',
      },
      {
        method: 'GET',
        name: 'read',
        op: null,
        restful: true,
        doc: 'List boot sources.\n\nGet a listing of boot sources.',
      },
    ],
  };
  const selections = {
    name: 'BootSourceSelectionsHandler',
    doc: 'Manage the collection of boot source selections.',
    params: ['boot_source_id'],
    path: '/MAAS/api/2.0/boot-sources/{boot_source_id}/selections/',
    uri: `${API}/boot-sources/{boot_source_id}/selections/`,
    actions: [
      {
        method: 'POST',
        name: 'create',
        op: null,
        restful: true,
        doc: 'Create a boot-source selection.\n\n:param os: Required.',
      },
      { method: 'GET', name: 'read', op: null, restful: true, doc: 'List boot-source selections.' },
    ],
  };
  const usersAuth = {
    name: 'UsersHandler',
    doc: 'Manage the user accounts of this MAAS.',
    params: [],
    path: '/MAAS/api/2.0/users/',
    uri: `${API}/users/`,
    actions: [
      { method: 'GET', name: 'read', op: null, restful: true, doc: 'List users.' },
      {
        method: 'GET',
        name: 'whoami',
        op: 'whoami',
        restful: false,
        doc: 'Retrieve logged-in user.',
      },
    ],
  };
  const versionAnon = {
    name: 'VersionHandler',
    doc: 'Information about this MAAS instance.',
    params: [],
    path: '/MAAS/api/2.0/version/',
    uri: `${API}/version/`,
    actions: [
      { method: 'GET', name: 'read', op: null, restful: true, doc: 'MAAS version information.' },
    ],
  };
  const bootResources = {
    name: 'BootResourcesHandler',
    doc: 'Manage the boot resources.',
    params: [],
    path: '/MAAS/api/2.0/boot-resources/',
    uri: `${API}/boot-resources/`,
    actions: [
      {
        method: 'POST',
        name: 'create',
        op: null,
        restful: true,
        doc: 'Upload a new boot resource.\n\n:param name: Required.',
      },
      {
        method: 'GET',
        name: 'is_importing',
        op: 'is_importing',
        restful: false,
        doc: 'Importing status.',
      },
    ],
  };
  const anonBootResources = {
    ...bootResources,
    name: 'AnonBootResourcesHandler',
    actions: [
      {
        method: 'GET',
        name: 'is_importing',
        op: 'is_importing',
        restful: false,
        doc: 'Anon status.',
      },
    ],
  };
  return {
    doc: 'MAAS API',
    hash: 'fixture-hash',
    resources: [
      { name: 'VersionHandler', anon: versionAnon, auth: null },
      { name: 'UsersHandler', anon: null, auth: usersAuth },
      { name: 'BootSourceSelectionsHandler', anon: null, auth: selections },
      { name: 'BootSourcesHandler', anon: null, auth: bootSources },
      { name: 'BootResourcesHandler', anon: anonBootResources, auth: bootResources },
    ],
  };
}
