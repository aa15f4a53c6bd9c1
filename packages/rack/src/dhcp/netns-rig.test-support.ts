import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Two network namespaces joined by a veth pair, created inside the namespaces so the host's own
 * network is never touched: the server side runs dnsmasq (through a wrapper that enters its
 * namespace), the client side runs busybox udhcpc. Addresses exist only inside the namespaces.
 */
const run = promisify(execFile);

export const DNSMASQ = '/usr/sbin/dnsmasq';
const BUSYBOX = '/usr/bin/busybox';

/** Why the rig cannot run here, or null when it can. Probed once, synchronously, for `describe.skipIf`. */
export function netnsUnavailableReason(): string | null {
  if (!existsSync(DNSMASQ)) return `${DNSMASQ} is missing (Debian package dnsmasq-base)`;
  if (!existsSync(BUSYBOX)) return `${BUSYBOX} is missing (Debian package busybox)`;
  const probe = `kiln-probe-${randomBytes(3).toString('hex')}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
  } catch (error) {
    return `ip netns add is not permitted here (${(error as Error).message.split('\n')[0] ?? ''})`;
  }
  execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
  return null;
}

export interface DhcpLease {
  readonly ip?: string;
  readonly boot_file?: string;
  readonly siaddr?: string;
  readonly router?: string;
  readonly dns?: string;
  readonly hostname?: string;
  readonly vendor?: string;
  readonly [key: string]: string | undefined;
}

export interface ClientRequest {
  readonly mac: string;
  /** Option 93 value, e.g. 0 (BIOS), 7 (UEFI x64), 16 (UEFI HTTP). */
  readonly clientArch?: number;
  readonly vendorClass?: string;
  /** Option 77 text, e.g. `iPXE`. */
  readonly userClass?: string;
}

export interface NetnsRig {
  readonly serverNs: string;
  readonly serverIface: string;
  readonly serverAddress: string;
  readonly subnetCidr: string;
  readonly dir: string;
  /** A dnsmasq path for the DHCP service: a wrapper that runs the real one inside the server namespace. */
  readonly dnsmasqWrapper: string;
  /** A tap device in the server namespace on its own subnet, for a qemu VM (`withTap`). */
  readonly tap: { readonly name: string; readonly address: string; readonly cidr: string } | null;
  requestLease(request: ClientRequest): Promise<DhcpLease>;
  destroy(): Promise<void>;
}

const hex = (value: number, bytes: number): string => value.toString(16).padStart(bytes * 2, '0');

export async function createNetnsRig(options: { withTap?: boolean } = {}): Promise<NetnsRig> {
  const id = randomBytes(3).toString('hex');
  const serverNs = `kiln-dhcp-${id}`;
  const clientNs = `kiln-dhcpc-${id}`;
  const serverIface = `kd${id}s`;
  const clientIface = `kd${id}c`;
  const octet = 16 + (Number.parseInt(id.slice(0, 2), 16) % 200);
  const serverAddress = `10.213.${octet}.1`;
  const dir = await mkdtemp(join(tmpdir(), 'kiln-dhcp-'));
  const created: string[] = [];
  const destroy = async (): Promise<void> => {
    // Deleting a namespace deletes the veth end inside it (and with it the peer).
    for (const ns of created.splice(0).reverse())
      await run('ip', ['netns', 'del', ns]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const ns of [serverNs, clientNs]) {
      await run('ip', ['netns', 'add', ns]);
      created.push(ns);
    }
    const ipn = (ns: string, ...args: string[]) => run('ip', ['-n', ns, ...args]);
    await ipn(
      serverNs,
      'link',
      'add',
      serverIface,
      'type',
      'veth',
      'peer',
      'name',
      clientIface,
      'netns',
      clientNs,
    );
    await ipn(serverNs, 'addr', 'add', `${serverAddress}/24`, 'dev', serverIface);
    for (const [ns, iface] of [
      [serverNs, serverIface],
      [clientNs, clientIface],
    ] as const) {
      await ipn(ns, 'link', 'set', 'lo', 'up');
      await ipn(ns, 'link', 'set', iface, 'up');
    }
    const tap =
      options.withTap === true
        ? { name: `kd${id}t`, address: `10.214.${octet}.1`, cidr: `10.214.${octet}.0/24` }
        : null;
    if (tap !== null) {
      await ipn(serverNs, 'tuntap', 'add', 'dev', tap.name, 'mode', 'tap');
      await ipn(serverNs, 'addr', 'add', `${tap.address}/24`, 'dev', tap.name);
      await ipn(serverNs, 'link', 'set', tap.name, 'up');
    }
    const dnsmasqWrapper = join(dir, 'dnsmasq-in-netns');
    // exec keeps the PID: the supervisor's child PID is dnsmasq itself.
    await writeFile(dnsmasqWrapper, `#!/bin/sh\nexec ip netns exec ${serverNs} ${DNSMASQ} "$@"\n`);
    await chmod(dnsmasqWrapper, 0o755);
    const script = join(dir, 'udhcpc-dump.sh');
    await writeFile(script, '#!/bin/sh\n[ "$1" = bound ] && env > "$KILN_LEASE_OUT"\nexit 0\n');
    await chmod(script, 0o755);

    let counter = 0;
    const requestLease = async (request: ClientRequest): Promise<DhcpLease> => {
      counter += 1;
      const out = join(dir, `lease-${counter}.env`);
      await ipn(clientNs, 'link', 'set', clientIface, 'address', request.mac);
      const args = ['netns', 'exec', clientNs, 'env', `KILN_LEASE_OUT=${out}`, BUSYBOX, 'udhcpc'];
      args.push('-i', clientIface, '-f', '-q', '-n', '-t', '8', '-T', '1', '-s', script);
      if (request.clientArch !== undefined) args.push('-x', `0x5d:${hex(request.clientArch, 2)}`);
      if (request.vendorClass !== undefined) args.push('-V', request.vendorClass);
      if (request.userClass !== undefined) {
        args.push('-x', `0x4d:${Buffer.from(request.userClass).toString('hex')}`);
      }
      await run('ip', args, { timeout: 30_000 });
      const env = await readFile(out, 'utf8');
      return Object.fromEntries(
        env
          .split('\n')
          .map(
            (line) =>
              [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const,
          )
          .filter(([key]) => /^[a-z_]+$/.test(key)),
      );
    };
    return {
      serverNs,
      serverIface,
      serverAddress,
      subnetCidr: `10.213.${octet}.0/24`,
      dir,
      dnsmasqWrapper,
      tap,
      requestLease,
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}
