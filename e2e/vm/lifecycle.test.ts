import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineJson } from './harness/kiln-client.js';
import { startLab, type Lab } from './harness/lab.js';
import { commission, events, machineByMac, waitForStatus } from './harness/machines.js';
import type { Vm } from './harness/qemu-vm.js';
import { must, waitFor } from './harness/shell.js';
import { formatTimeline, machineTimeline } from './harness/timeline.js';
import { markerUserData } from './harness/user-data.js';

const SPEC = { name: 'vm1', mac: '52:54:00:77:00:01', cpus: 2, memoryMiB: 2048, diskGiB: 4 };
const MIN = 60_000;

// Scenarios 1-4 on one VM, in order: each starts from the state the previous one left.
describe('one VM through the whole lifecycle', () => {
  let labRef: Lab | undefined;
  const lab = (): Lab => must(labRef, 'the lab');
  let vm: Vm;
  let machineRef: MachineJson | undefined;
  const machine = (): MachineJson => must(machineRef, 'the enlisted machine');

  beforeAll(async () => {
    labRef = await startLab('lifecycle');
    process.stdout.write(`accelerator: ${lab().accel.accel} (${lab().accel.reason})\n`);
    vm = await lab().addVm(SPEC);
  });

  afterAll(async () => {
    if (labRef !== undefined && machineRef !== undefined) {
      const phases = await machineTimeline(lab().api, machine().system_id).catch(() => []);
      process.stdout.write(`${formatTimeline(`${SPEC.name} (${machine().system_id})`, phases)}\n`);
    }
    await labRef?.close();
  });

  it('1. enlists an unknown VM that PXE-boots: NEW with its MAC and architecture', async () => {
    await vm.powerOn();
    machineRef = await waitFor(
      'the VM to enlist',
      () => machineByMac(lab().api, SPEC.mac),
      10 * MIN,
      3000,
    );
    expect(machine().architecture).toBe('amd64/generic');
    const macs = (machine().interface_set ?? []).map((i) => i.mac_address);
    expect(macs).toContain(SPEC.mac);
  });

  it('2. commissions it: READY with the VM hardware', async () => {
    await commission(lab().api, machine().system_id, vm);
    const ready = await waitForStatus(lab().api, machine().system_id, 'Ready', 15 * MIN, vm);
    expect(ready.cpu_count).toBe(SPEC.cpus);
    // MemTotal is what the kernel has left after its own reservations: a little under -m.
    expect(ready.memory).toBeLessThanOrEqual(SPEC.memoryMiB);
    expect(ready.memory).toBeGreaterThan(SPEC.memoryMiB * 0.85);
    const disks = ready.physicalblockdevice_set ?? ready.blockdevice_set ?? [];
    expect(disks.map((d) => d.size)).toContain(SPEC.diskGiB * 1024 ** 3);
    expect((ready.interface_set ?? []).map((i) => i.mac_address)).toEqual([SPEC.mac]);
    await waitFor(
      'the VM to power off',
      async () => ((await vm.status()) === 'running' ? undefined : true),
      5 * MIN,
    );
    machineRef = ready;
  });

  it('3. deploys Debian with user_data: DEPLOYED, installed cloud-init read Kiln metadata', async () => {
    const marker = randomBytes(8).toString('hex');
    await lab().api.post('machines/?op=allocate', { system_id: machine().system_id });
    await lab().api.post(`machines/${machine().system_id}/?op=deploy`, {
      distro_series: 'noble',
      user_data: Buffer.from(markerUserData(marker)).toString('base64'),
    });
    await waitForStatus(lab().api, machine().system_id, 'Deployed', 30 * MIN, vm);
    const marked = await waitFor(
      'the user-data marker event',
      async () => {
        const list = await events(lab().api, machine().system_id);
        return list.find((e) => e.description.includes(`kiln-e2e-marker ${marker}`));
      },
      5 * MIN,
    );
    expect(marked.description).toContain(marker);
    // The installed system's own cloud-init (not the ephemeral one) wrote the marker file.
    expect(await vm.serial()).toContain(`KILN-E2E-MARKER ${marker}`);
  });

  it('4. releases with quick erase: READY, start and end of the disk zeroed', async () => {
    const before = await vm.readDisk(0, 1024 * 1024);
    expect(before.some((b) => b !== 0)).toBe(true);
    await lab().api.post(`machines/${machine().system_id}/?op=release`, {
      erase: 'true',
      quick_erase: 'true',
    });
    await waitForStatus(lab().api, machine().system_id, 'Ready', 20 * MIN, vm);
    const head = await vm.readDisk(0, 2 * 1024 * 1024);
    const tail = await vm.readDisk(-2 * 1024 * 1024, 2 * 1024 * 1024);
    expect(head.every((b) => b === 0)).toBe(true);
    expect(tail.every((b) => b === 0)).toBe(true);
  });
});
