import { sh, shSync } from './shell.js';

export const NS_PREFIX = 'kiln-vm-';

export interface LabNetwork {
  readonly ns: string;
  readonly bridge: string;
  /** The bridge's (rack's) IPv4 address. */
  readonly address: string;
  readonly prefix: string;
  addTap(name: string): Promise<string>;
  /** Kills every process left in the namespace (all started by the lab), then deletes it. */
  destroySync(): void;
}

/**
 * A network namespace with one bridge (10.77.0.1/24 + a ULA for router advertisements): Kiln, the
 * stream server and the VMs live inside it, so nothing touches the host's network.
 */
export async function createLabNetwork(id: string): Promise<LabNetwork> {
  const ns = `${NS_PREFIX}${id}`;
  const bridge = 'br0';
  const prefix = '10.77.0';
  await sh('ip', ['netns', 'add', ns]);
  const ip = (...args: string[]) => sh('ip', ['-n', ns, ...args]);
  try {
    await ip('link', 'set', 'lo', 'up');
    await ip('link', 'add', bridge, 'type', 'bridge');
    await ip('addr', 'add', `${prefix}.1/24`, 'dev', bridge);
    await ip('addr', 'add', 'fd77::1/64', 'dev', bridge);
    await ip('link', 'set', bridge, 'up');
  } catch (error) {
    shSync('ip', ['netns', 'del', ns]);
    throw error;
  }
  return {
    ns,
    bridge,
    address: `${prefix}.1`,
    prefix,
    async addTap(name) {
      await ip('tuntap', 'add', 'dev', name, 'mode', 'tap');
      await ip('link', 'set', name, 'master', bridge);
      await ip('link', 'set', name, 'up');
      return name;
    },
    destroySync() {
      killNamespaceProcesses(ns);
      shSync('ip', ['netns', 'del', ns]);
    },
  };
}

function killNamespaceProcesses(ns: string): void {
  for (const signal of ['TERM', 'KILL']) {
    shSync('sh', ['-c', `for p in $(ip netns pids ${ns}); do kill -${signal} $p; done; sleep 1`]);
  }
}

/** Whether the test process that named a lab (`kiln-vm-<test>-<pid>`) is still running. */
function ownerAlive(ns: string): boolean {
  const pid = Number(/-(\d+)$/.exec(ns)?.[1]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Namespaces named by this harness that a SIGKILLed run left behind. A lab whose test process
 * still runs (another run on the same host) is left alone.
 */
export async function removeStaleLabs(): Promise<string[]> {
  const out = await sh('ip', ['netns', 'list']).catch(() => '');
  const stale = out
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(NS_PREFIX) && !ownerAlive(n));
  for (const ns of stale) {
    killNamespaceProcesses(ns);
    shSync('ip', ['netns', 'del', ns]);
  }
  return stale;
}
