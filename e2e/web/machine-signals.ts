import { parse } from 'yaml';
import { oauthHeader } from '@kiln/region/testing';
import { inventoryFiles } from '@kiln/testkit';

/**
 * What a machine's ephemeral environment and installer send to the metadata server, so the
 * browser test can walk a machine through its lifecycle without hardware.
 */
export function machineSimulator(regionUrl: string) {
  const metadata = (path: string, init: RequestInit & { nodeKey?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.nodeKey !== undefined) headers.set('Authorization', oauthHeader(init.nodeKey));
    return fetch(new URL(`metadata/${path}`, regionUrl), { ...init, headers });
  };
  const nodeKey = async (systemId: string): Promise<string> => {
    const response = await metadata(`latest/by-id/${systemId}/?op=get_preseed`);
    if (response.status !== 200)
      throw new Error(`get_preseed ${String(response.status)}: ${await response.text()}`);
    const doc = parse((await response.text()).replace(/^#cloud-config\n/, '')) as {
      datasource: { MAAS: { consumer_key: string; token_key: string; token_secret: string } };
    };
    const m = doc.datasource.MAAS;
    return `${m.consumer_key}:${m.token_key}:${m.token_secret}`;
  };
  const expectOk = async (response: Response, what: string) => {
    if (!response.ok)
      throw new Error(`${what}: ${String(response.status)} ${await response.text()}`);
  };
  const signal = async (
    key: string,
    fields: Record<string, string>,
    files: Record<string, string> = {},
  ) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    for (const [k, v] of Object.entries(files)) form.append(k, new Blob([v]), k);
    await expectOk(
      await metadata('latest/?op=signal', { method: 'POST', body: form, nodeKey: key }),
      'signal',
    );
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
        await expectOk(
          await metadata(`status/${systemId}`, {
            method: 'POST',
            body: JSON.stringify(event),
            headers: { 'Content-Type': 'application/json' },
            nodeKey: key,
          }),
          `status ${name}`,
        );
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
