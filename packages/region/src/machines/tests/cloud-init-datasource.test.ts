import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { NODE_STATUS as S } from '@kiln/protocol';
import { describeRegion } from '../../testing/index.js';
import { inventoryFiles } from '@kiln/testkit';
import { client, insertCompleteImage } from './test-support.js';

const run = promisify(execFile);

/**
 * Debian's cloud-init (package `cloud-init`, run with Debian's /usr/bin/python3) reads Kiln's
 * metadata through its own MAAS datasource code with a machine's OAuth token — the first-boot
 * read of a deployed system, which is also what marks the machine DEPLOYED.
 */
const READER = `
import json, sys
from cloudinit.sources.DataSourceMAAS import get_oauth_helper, read_maas_seed_url
url, ck, tk, ts = sys.argv[1:5]
helper = get_oauth_helper({"consumer_key": ck, "consumer_secret": "", "token_key": tk, "token_secret": ts})
userdata, metadata, vendordata = read_maas_seed_url(url, read_file_or_url=helper.readurl, timeout=10, retries=0)
print(json.dumps({"instance_id": metadata["instance-id"], "local_hostname": metadata["local-hostname"],
                  "user_data": userdata.decode(), "vendor_data": vendordata}))
`;

describeRegion('cloud-init MAAS datasource against Kiln', (region) => {
  const c = client(region);

  it('reads instance-id, local-hostname and user-data with the machine token', async () => {
    await insertCompleteImage(region().region.db);
    const mac = '52:54:00:00:20:01';
    const created = await c.post(region().adminApiKey, 'machines/', {
      architecture: 'amd64/generic',
      mac_addresses: mac,
      hostname: 'ci-node',
    });
    const { system_id: id } = (await created.json()) as { system_id: string };
    await c.post(region().adminApiKey, `machines/${id}/?op=commission`);
    const key = await c.nodeKey(id);
    await c.signal(key, { status: 'OK' }, inventoryFiles(mac));
    const userData = '#cloud-config\nwrite_files: [{path: /etc/kiln-test, content: hello}]\n';
    const deploy = await c.post(region().adminApiKey, `machines/${id}/?op=deploy`, {
      distro_series: 'noble',
      user_data: Buffer.from(userData).toString('base64'),
    });
    expect(deploy.status).toBe(200);
    const [ck = '', tk = '', ts = ''] = key.split(':');
    const { stdout } = await run(
      '/usr/bin/python3',
      ['-c', READER, `${region().url}metadata/`, ck, tk, ts],
      { timeout: 60_000 },
    );
    expect(JSON.parse(stdout)).toEqual({
      instance_id: id,
      local_hostname: 'ci-node.maas',
      user_data: userData,
      vendor_data: { 'cloud-init': '#cloud-config\n{}\n' },
    });
    const machine = (await (await c.call(region().adminApiKey, `machines/${id}/`)).json()) as {
      status: number;
    };
    expect(machine.status).toBe(S.DEPLOYED);

    // Another machine's credentials read nothing of this one.
    const wrong = await run(
      '/usr/bin/python3',
      ['-c', READER, `${region().url}metadata/`, ck, tk, 'not-the-secret'],
      { timeout: 60_000 },
    ).catch((e: unknown) => e as { stderr: string });
    expect('stderr' in wrong ? wrong.stderr : '').toMatch(/401|Unauthorized/);
  });
});
