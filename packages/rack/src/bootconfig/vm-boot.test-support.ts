import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * What a VM boot test needs that is not npm: qemu with UEFI firmware and iPXE NIC ROMs (Debian
 * qemu-system-x86, ovmf, ipxe-qemu), a Linux kernel (KILN_TEST_KERNEL, or linux-image-amd64's /boot/vmlinuz-*) and gcc
 * to build a one-file static /init. The initramfs is written here as a newc cpio archive.
 */
const run = promisify(execFile);
export const QEMU = '/usr/bin/qemu-system-x86_64';
export const IPXE_EFI_ROM = '/usr/lib/ipxe/qemu/efi-virtio.rom';
export const OVMF = '/usr/share/ovmf/OVMF.fd';
const GCC = '/usr/bin/gcc';

/**
 * The kernel to boot. Opt-in through KILN_TEST_KERNEL (`/boot/vmlinuz-*` of linux-image-amd64, or
 * one extracted from its .deb) because a TCG boot takes about 40 s, too long for every run.
 */
export function findKernel(): string | null {
  const fromEnv = process.env.KILN_TEST_KERNEL;
  return fromEnv !== undefined && fromEnv !== '' && existsSync(fromEnv) ? fromEnv : null;
}

export function vmBootUnavailableReason(): string | null {
  if (!existsSync(QEMU)) return `${QEMU} is missing (Debian package qemu-system-x86)`;
  if (!existsSync(IPXE_EFI_ROM)) return `${IPXE_EFI_ROM} is missing (Debian package ipxe-qemu)`;
  if (!existsSync(OVMF)) return `${OVMF} is missing (Debian package ovmf)`;
  if (!existsSync(GCC)) return `${GCC} is missing (Debian package gcc, with libc6-dev)`;
  if (findKernel() === null) {
    return 'opt-in: set KILN_TEST_KERNEL to a vmlinuz (linux-image-amd64) to run it (about 40 s under TCG)';
  }
  return null;
}

// /init: print the kernel command line between markers on the serial console, then power off.
const INIT_C = `
#include <fcntl.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>
int main(void) {
  char buf[4096];
  mount("proc", "/proc", "proc", 0, 0);
  mount("devtmpfs", "/dev", "devtmpfs", 0, 0);
  int out = open("/dev/ttyS0", O_WRONLY);
  int in = open("/proc/cmdline", O_RDONLY);
  int n = in < 0 ? 0 : read(in, buf, sizeof buf);
  write(out, "\\nKILN-CMDLINE:", 15);
  if (n > 0) write(out, buf, n);
  write(out, "KILN-END\\n", 9);
  sync();
  reboot(RB_POWER_OFF);
  return 0;
}
`;

function newcEntry(name: string, mode: number, data: Buffer, ino: number): Buffer {
  const field = (value: number): string => value.toString(16).padStart(8, '0');
  const nameBytes = Buffer.from(`${name}\0`);
  const header = `070701${[ino, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, nameBytes.length, 0].map(field).join('')}`;
  const pad = (length: number): Buffer => Buffer.alloc((4 - (length % 4)) % 4);
  const head = Buffer.concat([Buffer.from(header, 'ascii'), nameBytes]);
  return Buffer.concat([head, pad(head.length), data, pad(data.length)]);
}

/** Builds the static /init and packs it with /proc and /dev mount points into a newc cpio. */
export async function buildInitramfs(dir: string): Promise<Buffer> {
  const source = join(dir, 'init.c');
  const binary = join(dir, 'init');
  await writeFile(source, INIT_C);
  await run(GCC, ['-static', '-Os', '-o', binary, source]);
  const init = await readFile(binary);
  return Buffer.concat([
    newcEntry('proc', 0o040755, Buffer.alloc(0), 1),
    newcEntry('dev', 0o040755, Buffer.alloc(0), 2),
    newcEntry('init', 0o100755, init, 3),
    newcEntry('TRAILER!!!', 0, Buffer.alloc(0), 0),
  ]);
}
