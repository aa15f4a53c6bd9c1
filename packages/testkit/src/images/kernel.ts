import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import type { Logger } from 'pino';
import { extractFromDeb } from './debian-packages.js';

/**
 * vmlinuz straight from the kernel .deb (no install, no maintainer scripts), checked against the
 * module tree mmdebstrap installed: an ephemeral initrd whose modules belong to another kernel
 * would boot without a NIC.
 */
export async function extractKernel(
  deb: string,
  workDir: string,
  expectedRelease: string,
  dest: string,
  logger?: Logger,
): Promise<void> {
  const dir = join(workDir, 'kernel-deb');
  await mkdir(dir, { recursive: true });
  await extractFromDeb(deb, dir, ['./boot/vmlinuz-*'], logger);
  const kernels = (await readdir(join(dir, 'boot'))).filter((f) => f.startsWith('vmlinuz-'));
  const wanted = `vmlinuz-${expectedRelease}`;
  if (!kernels.includes(wanted)) {
    throw new AppError(
      'IMAGE_KERNEL_MISMATCH',
      `The kernel package holds ${kernels.join(', ') || 'no vmlinuz'}, the image's modules are for ${expectedRelease}`,
    );
  }
  await copyFile(join(dir, 'boot', wanted), dest);
}
