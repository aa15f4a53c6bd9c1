import type { ActionDeclaration, HandlerDeclaration } from '../api/index.js';
import { deleted, json } from '../api/index.js';
import type { PowerRegistry } from '../machines/index.js';
import { listBootImages } from './boot-images.js';
import { bumpNetworkVersion } from './network-json.js';
import { rackJson } from './rack-json.js';
import { listRacks, rackBySystemId } from './rack-repository.js';
import { servableImages } from './region-images.js';

const importBootImages: ActionDeclaration = {
  method: 'POST',
  op: 'import_boot_images',
  admin: true,
  doc: 'Import the boot images on all rack controllers\n\nSince 3.5 racks fetch images from the region on demand: accepted and nothing to do.',
  run: () => Promise.resolve(json('Import of boot images started on all rack controllers', 202)),
};

const listBootImagesOp: ActionDeclaration = {
  method: 'GET',
  op: 'list_boot_images',
  doc: 'List all available boot images\n\nThe images racks can serve: the region’s boot resources.',
  run: async ({ region }) =>
    json({ images: await listBootImages(region.db), connected: true, status: 'synced' }),
};

/** rackcontrollers/; describe_power_types answers from the region's power drivers. */
export function rackControllersHandler(power: Pick<PowerRegistry, 'describe'>): HandlerDeclaration {
  return {
    name: 'RackControllersHandler',
    doc: 'Manage the collection of all rack controllers in MAAS.',
    path: 'rackcontrollers/',
    access: 'auth',
    actions: [
      {
        method: 'GET',
        op: null,
        doc: 'List rack controllers\n\nGet a listing of all rack controllers.',
        fields: [
          { name: 'hostname', kind: 'list', doc: 'Only rack controllers with this hostname.' },
        ],
        run: async ({ region, input }) => {
          const hostnames = input.list('hostname');
          const racks = (await listRacks(region.db)).filter(
            (rack) =>
              hostnames === undefined || hostnames.includes(rack.hostname.split('.')[0] ?? ''),
          );
          const images = await servableImages(region.db);
          const now = new Date();
          return json(racks.map((rack) => rackJson(rack, now, images)));
        },
      },
      importBootImages,
      {
        method: 'GET',
        op: 'describe_power_types',
        doc: 'Get power information from rack controllers\n\nThe power types Kiln supports and their parameters.',
        run: async () => json(await power.describe()),
      },
    ],
  };
}

export const rackControllerHandler: HandlerDeclaration = {
  name: 'RackControllerHandler',
  doc: 'Manage an individual rack controller.',
  path: 'rackcontrollers/{system_id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a rack controller\n\nRead a rack controller with the given system_id.',
      run: async ({ region, request }) => {
        const rack = await rackBySystemId(region.db, request.params.system_id ?? '');
        return json(rackJson(rack, new Date(), await servableImages(region.db)));
      },
    },
    {
      method: 'PUT',
      op: null,
      admin: true,
      doc: 'Update a rack controller\n\nUpdate the description of a rack controller.',
      fields: [{ name: 'description', kind: 'string', doc: 'The new description.' }],
      run: async ({ region, request, input }) => {
        const rack = await rackBySystemId(region.db, request.params.system_id ?? '');
        const description = input.string('description') ?? rack.description;
        await region.db
          .updateTable('rack_controllers')
          .set({ description })
          .where('id', '=', rack.id)
          .execute();
        return json(
          rackJson({ ...rack, description }, new Date(), await servableImages(region.db)),
        );
      },
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a rack controller\n\nVLANs it served lose it as primary/secondary rack; a running agent registers again.',
      run: async ({ region, request }) =>
        region.db.transaction().execute(async (trx) => {
          const rack = await rackBySystemId(trx, request.params.system_id ?? '');
          await trx
            .updateTable('vlans')
            .set({ primary_rack: null, dhcp_on: 0 })
            .where('primary_rack', '=', rack.system_id)
            .execute();
          await trx
            .updateTable('vlans')
            .set({ secondary_rack: null })
            .where('secondary_rack', '=', rack.system_id)
            .execute();
          await trx.deleteFrom('rack_controllers').where('id', '=', rack.id).execute();
          await bumpNetworkVersion(trx);
          return deleted();
        }),
    },
    importBootImages,
    listBootImagesOp,
  ],
};
