import { metadataClient } from '@kiln/region/testing';
import { inventoryFiles } from '@kiln/testkit';

/**
 * What a machine's ephemeral environment and installer send to the metadata server, so the
 * browser test can walk a machine through its lifecycle without hardware.
 */
export function machineSimulator(regionUrl: string) {
  const { metadata, nodeKey, signal: send, status } = metadataClient(() => regionUrl);
  const expectOk = async (response: Response, what: string) => {
    if (!response.ok)
      throw new Error(`${what}: ${String(response.status)} ${await response.text()}`);
  };
  const signal = async (
    key: string,
    fields: Record<string, string>,
    files: Record<string, string> = {},
  ) => {
    await expectOk(await send(key, fields, files), 'signal');
  };

  return {
    /** Commissioning scripts ran and reported a 2-CPU, 2 GiB, one-disk machine. */
    async commissioned(systemId: string, mac: string): Promise<void> {
      const key = await nodeKey(systemId);
      await signal(key, { status: 'WORKING', error: 'Starting 00-cpu [1/5]' });
      await signal(key, { status: 'OK' }, inventoryFiles(mac));
    },
    /** The installer's stages, netboot off, then the deployed OS fetching its user-data. */
    async installed(systemId: string): Promise<void> {
      const key = await nodeKey(systemId);
      for (const [type, name] of [
        ['start', 'cmd-install'],
        ['start', 'cmd-install/stage-partitioning'],
        ['finish', 'cmd-install/stage-partitioning'],
        ['finish', 'cmd-install'],
      ] as const) {
        const event = {
          event_type: type,
          origin: 'kiln-install',
          name,
          description: name,
          result: 'SUCCESS',
        };
        await expectOk(await status(key, systemId, event), `status ${name}`);
      }
      await expectOk(
        await metadata('latest/?op=netboot_off', { method: 'POST', nodeKey: key }),
        'netboot_off',
      );
      await expectOk(
        await metadata('2012-03-01/user-data', { nodeKey: key }),
        'first-boot user-data',
      );
    },
  };
}
