import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineJson } from './harness/kiln-client.js';
import { startLab, type Lab } from './harness/lab.js';
import { commission, events, machineByMac, waitForStatus } from './harness/machines.js';
import type { Vm } from './harness/qemu-vm.js';
import { must, waitFor } from './harness/shell.js';
import { formatTimeline, machineTimeline } from './harness/timeline.js';
import { markerUserData } from './harness/user-data.js';

const MIN = 60_000;
const SPECS = [
  { name: 'vm-a', mac: '52:54:00:77:00:0a', cpus: 1, memoryMiB: 2048, diskGiB: 4 },
  { name: 'vm-b', mac: '52:54:00:77:00:0b', cpus: 2, memoryMiB: 2304, diskGiB: 5 },
];

describe('5. two VMs at once', () => {
  let labRef: Lab | undefined;
  const lab = (): Lab => must(labRef, 'the lab');
  const vms: Vm[] = [];
  const machines: MachineJson[] = [];

  beforeAll(async () => {
    labRef = await startLab('two-vms');
    for (const spec of SPECS) vms.push(await lab().addVm(spec));
  });

  afterAll(async () => {
    for (const [i, m] of machines.entries()) {
      const phases = await machineTimeline(lab().api, m.system_id).catch(() => []);
      process.stdout.write(
        `${formatTimeline(`${SPECS[i]?.name ?? '?'} (${m.system_id})`, phases)}\n`,
      );
    }
    await labRef?.close();
  });

  it('enlist and commission concurrently, each with its own hardware', async () => {
    await Promise.all(vms.map((vm) => vm.powerOn()));
    const ready = await Promise.all(
      vms.map(async (vm, i) => {
        const spec = SPECS[i];
        if (spec === undefined) throw new Error('no spec');
        const m = await waitFor(
          'enlistment',
          () => machineByMac(lab().api, spec.mac),
          10 * MIN,
          3000,
        );
        await commission(lab().api, m.system_id, vm);
        const r = await waitForStatus(lab().api, m.system_id, 'Ready', 20 * MIN, vm);
        expect(r.cpu_count).toBe(spec.cpus);
        expect((r.physicalblockdevice_set ?? r.blockdevice_set ?? []).map((d) => d.size)).toContain(
          spec.diskGiB * 1024 ** 3,
        );
        return r;
      }),
    );
    machines.push(...ready);
    expect(new Set(ready.map((m) => m.system_id)).size).toBe(2);
  });

  it('deploy concurrently: both DEPLOYED, each ran its own user data', async () => {
    const markers = machines.map(() => randomBytes(8).toString('hex'));
    for (const [i, m] of machines.entries()) {
      const vm = vms[i];
      if (vm === undefined) throw new Error('no vm');
      await waitFor(
        'power off after commissioning',
        async () => ((await vm.status()) === 'running' ? undefined : true),
        5 * MIN,
      );
      await lab().api.post('machines/?op=allocate', { system_id: m.system_id });
      await lab().api.post(`machines/${m.system_id}/?op=deploy`, {
        distro_series: 'noble',
        user_data: Buffer.from(markerUserData(markers[i] ?? '')).toString('base64'),
      });
    }
    await Promise.all(
      machines.map(async (m, i) => {
        await waitForStatus(lab().api, m.system_id, 'Deployed', 40 * MIN, vms[i]);
        const found = await waitFor(
          'the marker event',
          async () =>
            (await events(lab().api, m.system_id)).find((e) =>
              e.description.includes(markers[i] ?? '-'),
            ),
          5 * MIN,
        );
        expect(found.description).toContain(`kiln-e2e-marker ${markers[i] ?? ''}`);
      }),
    );
  });
});
