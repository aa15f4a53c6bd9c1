import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon.js';
import { qmp } from './qmp.js';
import { sh } from './shell.js';

export interface VmSpec {
  readonly name: string;
  readonly mac: string;
  readonly cpus: number;
  readonly memoryMiB: number;
  readonly diskGiB: number;
}

export interface Vm extends VmSpec {
  readonly qmpSocket: string;
  readonly disk: string;
  readonly serialLog: string;
  readonly daemon: Daemon;
  powerOn(): Promise<void>;
  status(): Promise<string>;
  serial(): Promise<string>;
  /** `length` bytes of the disk at `offset` (negative = from the end), read while it runs. */
  readDisk(offset: number, length: number): Promise<Buffer>;
}

/**
 * A VM the way the qemu power driver expects it (docs/power-drivers.md): created paused (`-S`)
 * and kept alive across guest power-off (`-no-shutdown`), a QMP socket for Kiln, network boot
 * first (`-boot n`: iPXE in the NIC ROM asks Kiln every time, as MAAS machines do), a virtio
 * disk, and the serial console (with SeaBIOS and iPXE output) in a test artefact.
 */
export async function startVm(
  ns: string,
  tap: string,
  spec: VmSpec,
  dirs: { work: string; artifacts: string },
  accel: 'kvm' | 'tcg',
): Promise<Vm> {
  const disk = join(dirs.work, `${spec.name}.qcow2`);
  const qmpSocket = join(dirs.work, `${spec.name}.qmp`);
  const serialLog = join(dirs.artifacts, `${spec.name}-serial.log`);
  await sh('qemu-img', ['create', '-q', '-f', 'qcow2', disk, `${String(spec.diskGiB)}G`]);
  const daemon = startDaemon(
    ns,
    `qemu-${spec.name}`,
    'qemu-system-x86_64',
    [
      '-name',
      spec.name,
      '-machine',
      'pc,graphics=off',
      '-accel',
      accel,
      '-m',
      String(spec.memoryMiB),
      '-smp',
      String(spec.cpus),
      '-display',
      'none',
      '-serial',
      `file:${serialLog}`,
      '-S',
      '-no-shutdown',
      '-qmp',
      `unix:${qmpSocket},server=on,wait=off`,
      '-netdev',
      `tap,id=n0,ifname=${tap},script=no,downscript=no`,
      '-device',
      `virtio-net-pci,netdev=n0,mac=${spec.mac}`,
      '-drive',
      `file=${disk},if=virtio,format=qcow2,cache=unsafe`,
      '-boot',
      'order=n',
    ],
    { logFile: join(dirs.artifacts, `${spec.name}-qemu.log`) },
  );
  for (let i = 0; i < 50; i++) {
    try {
      await qmp(qmpSocket, 'query-status');
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    ...spec,
    qmpSocket,
    disk,
    serialLog,
    daemon,
    async powerOn() {
      await qmp(qmpSocket, 'cont');
    },
    async status() {
      const s = (await qmp(qmpSocket, 'query-status')) as { status: string };
      return s.status;
    },
    serial: () => readFile(serialLog, 'utf8').catch(() => ''),
    async readDisk(offset, length) {
      const size = spec.diskGiB * 1024 * 1024 * 1024;
      const start = offset < 0 ? size + offset : offset;
      const out = join(dirs.work, `${spec.name}-read.raw`);
      const bs = 65536;
      await sh('qemu-img', [
        'dd',
        '-U',
        '-f',
        'qcow2',
        '-O',
        'raw',
        `bs=${String(bs)}`,
        `skip=${String(start / bs)}`,
        `count=${String(length / bs)}`,
        `if=${disk}`,
        `of=${out}`,
      ]);
      return readFile(out);
    },
  };
}
