import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Command } from 'commander';
import { apiFetch } from '@kiln/region/testing';
import { expect, it } from 'vitest';
import { registerServerCommands } from '../server/index.js';

const discard = new Writable({ write: (_chunk, _enc, done) => done() });

it('kiln start runs the rack half too: it registers with its own region and serves boot files', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'kiln-start-rack-'));
  let out = '';
  let stop: (() => Promise<void>) | undefined;
  let url = '';
  const program = new Command('kiln').exitOverride().configureOutput({
    writeOut: (text) => (out += text),
    writeErr: (text) => (out += text),
  });
  registerServerCommands(program, {
    env: {
      KILN_DATA_DIR: dataDir,
      KILN_LISTEN_ADDRESS: '127.0.0.1',
      KILN_REGION_PORT: '0',
      KILN_RACK_HTTP_PORT: '0',
      KILN_TFTP_PORT: '0',
    },
    logDestination: discard,
    onStarted: (s, u) => {
      stop = s;
      url = u;
    },
  });
  try {
    await program.parseAsync(['node', 'kiln', 'start']);
    const key = /API key \(shown once\): (\S+)/.exec(out)?.[1] ?? '';
    const httpPort = /HTTP boot server: port (\d+)/.exec(out)?.[1];
    expect(out).toMatch(/TFTP: port \d+/);
    expect(httpPort).toBeDefined();
    let racks: { hostname: string; service_set: { name: string; status: string }[] }[] = [];
    for (let i = 0; i < 100 && racks.length === 0; i++) {
      racks = (await (
        await apiFetch(url, 'rackcontrollers/', { apiKey: key })
      ).json()) as typeof racks;
      if (racks.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(racks).toHaveLength(1);
    expect(racks[0]?.service_set.find((s) => s.name === 'tftp')?.status).toBe('running');
    const ipxe = await fetch(`http://127.0.0.1:${httpPort ?? ''}/ipxe.cfg`);
    expect(ipxe.status).toBe(200);
    expect(await ipxe.text()).toContain('#!ipxe');
  } finally {
    await stop?.();
    await rm(dataDir, { recursive: true, force: true });
  }
});

it('kiln rack refuses to start without a secret or with an unknown DHCP mode, naming the fix', async () => {
  const { registerRackCommands } = await import('./index.js');
  const program = new Command('kiln').exitOverride();
  registerRackCommands(program, { env: { KILN_DATA_DIR: tmpdir() }, logDestination: discard });
  await expect(program.parseAsync(['node', 'kiln', 'rack'])).rejects.toThrow(/kiln secret/);
  await expect(
    program.parseAsync(['node', 'kiln', 'rack', '--secret', 's', '--dhcp', 'sometimes']),
  ).rejects.toThrow(/--dhcp must be managed, external or off/);
});
