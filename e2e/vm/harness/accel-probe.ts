import { spawn } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sleep } from './shell.js';

export interface AccelChoice {
  readonly accel: 'kvm' | 'tcg';
  readonly reason: string;
}

/**
 * KVM only when it demonstrably runs a guest: /dev/kvm exists on these hosts but the CPU has no
 * vmx/svm (kvm-pvm); SeaBIOS prints its banner and even starts the iPXE ROM, which then hangs. So
 * the probe waits (up to 15 s) for iPXE to open its NIC (`net0: ... (open)` on the serial port),
 * which needs real guest execution. User-mode networking: the probe needs no namespace.
 */
export async function probeAccel(): Promise<AccelChoice> {
  if (process.env.KILN_VM_ACCEL === 'tcg') return { accel: 'tcg', reason: 'KILN_VM_ACCEL=tcg' };
  try {
    await access('/dev/kvm');
  } catch {
    return { accel: 'tcg', reason: 'no /dev/kvm' };
  }
  const dir = await mkdtemp(join(tmpdir(), 'kiln-kvm-probe-'));
  const serial = join(dir, 'serial.log');
  const child = spawn(
    'qemu-system-x86_64',
    [
      '-machine',
      'pc,graphics=off',
      '-accel',
      'kvm',
      '-m',
      '64',
      '-display',
      'none',
      '-nodefaults',
      '-serial',
      `file:${serial}`,
      '-no-reboot',
    ],
    { stdio: 'ignore' },
  );
  try {
    for (let i = 0; i < 30; i++) {
      await sleep(500);
      const text = await readFile(serial, 'utf8').catch(() => '');
      if (/net0: .*\(open\)/.test(text)) return { accel: 'kvm', reason: 'iPXE ran under KVM' };
      if (child.exitCode !== null) break;
    }
    return { accel: 'tcg', reason: 'KVM present but a guest does not run under it (probe)' };
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
}
