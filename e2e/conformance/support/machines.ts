import { inventoryFiles } from '@kiln/testkit';
import {
  apiFetch,
  formBody,
  insertCompleteImage,
  metadataClient,
  type TestRegion,
} from '@kiln/region/testing';

/**
 * Machines taken through enlistment and commissioning the way a machine does it (its inventory
 * posted through the metadata API with its own token), so they have disks and interfaces: what
 * the typed clients are strict about.
 */
export async function commissionedMachines(
  region: TestRegion,
  hostnames: readonly string[],
): Promise<string[]> {
  await insertCompleteImage(region.region.db);
  const { nodeKey, signal } = metadataClient(() => region.url);
  const ids: string[] = [];
  for (const [index, hostname] of hostnames.entries()) {
    const mac = `52:54:00:c0:00:${(index + 1).toString(16).padStart(2, '0')}`;
    const created = await apiFetch(region.url, 'machines/', {
      apiKey: region.adminApiKey,
      method: 'POST',
      body: formBody({
        architecture: 'amd64/generic',
        mac_addresses: mac,
        hostname,
        power_type: 'manual',
      }),
    });
    if (created.status !== 200) throw new Error(`create ${hostname}: ${await created.text()}`);
    const { system_id: id } = (await created.json()) as { system_id: string };
    const commission = await apiFetch(region.url, `machines/${id}/?op=commission`, {
      apiKey: region.adminApiKey,
      method: 'POST',
    });
    if (commission.status !== 200)
      throw new Error(`commission ${hostname}: ${await commission.text()}`);
    const key = await nodeKey(id);
    const ok = await signal(key, { status: 'OK' }, inventoryFiles(mac));
    if (ok.status !== 200) throw new Error(`signal ${hostname}: ${await ok.text()}`);
    ids.push(id);
  }
  return ids;
}
