import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './harness/lab.js';
import { commission, events, machineByMac, waitForStatus } from './harness/machines.js';
import type { Vm } from './harness/qemu-vm.js';
import { must, waitFor } from './harness/shell.js';
import { formatTimeline, machineTimeline } from './harness/timeline.js';

const MIN = 60_000;
const SPEC = { name: 'vm-broken', mac: '52:54:00:77:00:0f', cpus: 1, memoryMiB: 2048, diskGiB: 4 };

// The test stream publishes ubuntu/jammy with noble's kernel and initrd but a root-tgz that is not
// a tarball (valid signature, sha256 and size): the installer's extract stage must fail.
describe('a broken image', () => {
  let labRef: Lab | undefined;
  const lab = (): Lab => must(labRef, 'the lab');
  let vm: Vm;
  let systemId = '';

  beforeAll(async () => {
    labRef = await startLab('failed-deployment');
    await lab().api.post('boot-sources/1/selections/', {
      os: 'ubuntu',
      release: 'jammy',
      arches: 'amd64',
      subarches: '*',
      labels: '*',
    });
    await lab().api.post('boot-resources/?op=import');
    await waitFor(
      'ubuntu/jammy to be imported',
      async () => {
        const list = (await lab().api.get('boot-resources/')) as { name: string }[];
        const busy = await lab().api.get('boot-resources/?op=is_importing');
        return busy === false && list.some((r) => r.name === 'ubuntu/jammy') ? true : undefined;
      },
      10 * MIN,
    );
    vm = await lab().addVm(SPEC);
  });

  afterAll(async () => {
    if (systemId !== '') {
      const phases = await machineTimeline(lab().api, systemId).catch(() => []);
      process.stdout.write(`${formatTimeline(`${SPEC.name} (${systemId})`, phases)}\n`);
    }
    await labRef?.close();
  });

  it('leaves the machine FAILED_DEPLOYMENT with the installer output in its events', async () => {
    await vm.powerOn();
    const m = await waitFor('enlistment', () => machineByMac(lab().api, SPEC.mac), 10 * MIN, 3000);
    systemId = m.system_id;
    await commission(lab().api, systemId, vm);
    await waitForStatus(lab().api, systemId, 'Ready', 15 * MIN, vm);
    await waitFor(
      'power off',
      async () => ((await vm.status()) === 'running' ? undefined : true),
      5 * MIN,
    );
    await lab().api.post('machines/?op=allocate', { system_id: systemId });
    await lab().api.post(`machines/${systemId}/?op=deploy`, { distro_series: 'jammy' });
    await waitForStatus(lab().api, systemId, 'Failed deployment', 30 * MIN);
    const list = await events(lab().api, systemId);
    const failure = list.find(
      (e) => e.type.includes('stage-extract') || e.description.includes('stage-extract'),
    );
    expect(failure, JSON.stringify(list.slice(0, 30))).toBeDefined();
    // The installer attaches the failing command's output (kiln-install.log) to its FAIL event.
    expect(list.some((e) => e.description.includes('--- kiln-install.log ---'))).toBe(true);
  });
});
