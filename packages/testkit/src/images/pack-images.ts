import { rename } from 'node:fs/promises';
import type { Logger } from 'pino';
import { runShell } from './run-command.js';

/** The deployable root (MAAS's `root-tgz`): the whole tree, numeric owners, xattrs kept. */
export async function packRootTgz(rootfs: string, dest: string, logger?: Logger): Promise<void> {
  const partial = `${dest}.partial`;
  await runShell(
    `tar -C '${rootfs}' --numeric-owner --xattrs --acls --sort=name -cf - . | gzip -1 > '${partial}'
sync '${partial}'`,
    { logger },
  );
  await rename(partial, dest);
}
