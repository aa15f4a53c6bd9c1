/** What a booting machine takes from its rendered iPXE config: every URL it will fetch next. */
export interface BootUrls {
  readonly kernel: string;
  readonly initrd: string;
  /** The root filesystem (`root=squash:<url>` or `root=tar:<url>` on the kernel line). */
  readonly root: string;
  /** `cloud-config-url=<url>`: the metadata server, reached through the rack's `/MAAS/` proxy. */
  readonly metadata: string;
}

function argument(line: string, key: string): string | undefined {
  for (const word of line.split(/\s+/)) {
    if (word.startsWith(key)) return word.slice(key.length);
  }
  return undefined;
}

/**
 * Reads the URLs out of an iPXE ephemeral-boot config the way the firmware and the kernel would:
 * `kernel <url> <cmdline>`, `initrd <url>`, and from the command line the root and preseed URLs.
 * Returns null when the config is not an ephemeral boot (local boot, power off).
 */
export function parseIpxeBootUrls(config: string): BootUrls | null {
  const lines = config.split('\n').map((l) => l.trim());
  const kernelLine = lines.find((l) => l.startsWith('kernel '));
  const initrdLine = lines.find((l) => l.startsWith('initrd '));
  if (kernelLine === undefined || initrdLine === undefined) return null;
  const kernel = kernelLine.split(/\s+/)[1];
  const initrd = initrdLine.split(/\s+/)[1];
  const rootArg = argument(kernelLine, 'root=');
  const root = rootArg?.replace(/^(squash|tar):/, '');
  const metadata = argument(kernelLine, 'cloud-config-url=');
  if (kernel === undefined || initrd === undefined || root === undefined || metadata === undefined)
    return null;
  return { kernel, initrd, root, metadata };
}

/** `/images/<sha256>/...` URLs name the bytes they must carry; others (metadata) do not. */
export function expectedSha256(url: string): string | undefined {
  return /\/images\/([0-9a-f]{64})\//.exec(new URL(url).pathname)?.[1];
}
