import type { HandlerDeclaration } from '../api/index.js';
import { deleted, json } from '../api/index.js';
import { badRequest } from '../domain-errors.js';
import { isAlive } from './rack-json.js';
import {
  deleteRegionRecord,
  imageSyncByRegion,
  listRegionRecords,
  regionJson,
  regionRecord,
} from './region-json.js';

/** MAAS's region controllers (spec §2.12's sibling): listing is for any user, changes are admin. */
export const regionControllersHandler: HandlerDeclaration = {
  name: 'RegionControllersHandler',
  doc: 'Manage the collection of all region controllers in MAAS.',
  path: 'regioncontrollers/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List region controllers\n\nGet a listing of all region controllers, with their liveness and how many boot resource files each holds.',
      fields: [
        { name: 'hostname', kind: 'list', doc: 'Only region controllers with this hostname.' },
      ],
      run: async ({ region, input }) => {
        const hostnames = input.list('hostname');
        const sync = await imageSyncByRegion(region.db);
        const regions = (await listRegionRecords(region.db)).filter(
          (r) => hostnames === undefined || hostnames.includes(r.hostname.split('.')[0] ?? ''),
        );
        return json(regions.map((r) => regionJson(r, sync(r.system_id))));
      },
    },
  ],
};

export const regionControllerHandler: HandlerDeclaration = {
  name: 'RegionControllerHandler',
  doc: 'Manage an individual region controller.',
  path: 'regioncontrollers/{system_id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a region controller\n\nRead a region controller with the given system_id.',
      run: async ({ region, request }) => {
        const record = await regionRecord(region.db, request.params.system_id ?? '');
        return json(regionJson(record, (await imageSyncByRegion(region.db))(record.system_id)));
      },
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a region controller\n\nForgets a region that has stopped (no heartbeat for three periods), with its image copy records; a running region cannot be deleted.',
      run: async ({ region, request }) => {
        const record = await regionRecord(region.db, request.params.system_id ?? '');
        if (record.system_id === region.regionId || isAlive(record.last_seen, new Date()))
          throw badRequest(
            'REGION_STILL_RUNNING',
            `Region controller ${record.hostname} is still running; stop it before deleting it.`,
          );
        await deleteRegionRecord(region.db, record.system_id);
        return deleted();
      },
    },
  ],
};
