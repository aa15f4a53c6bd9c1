import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon.js';

/**
 * IPv6 router advertisements on the bridge: without one, iPXE spends ~13 s soliciting routers after
 * its DHCP (vm-boot-notes). dnsmasq with DNS and DHCPv4 off sends only RAs, so it never competes
 * with Kiln's own DHCP server.
 */
export function startRaSender(ns: string, bridge: string, artifacts: string): Daemon {
  return startDaemon(
    ns,
    'ra',
    '/usr/sbin/dnsmasq',
    [
      '--keep-in-foreground',
      '--port=0',
      '--no-resolv',
      '--no-hosts',
      `--interface=${bridge}`,
      '--bind-interfaces',
      '--enable-ra',
      `--dhcp-range=::,constructor:${bridge},ra-only`,
      `--pid-file=`,
      '--log-facility=-',
    ],
    { logFile: join(artifacts, 'ra-dnsmasq.log') },
  );
}

/** The signed test stream on the namespace's loopback, where Kiln's boot source points. */
export function startStreamServer(
  ns: string,
  dir: string,
  port: number,
  artifacts: string,
): Daemon {
  return startDaemon(
    ns,
    'stream',
    '/usr/bin/python3',
    ['-m', 'http.server', '--bind', '127.0.0.1', '--directory', dir, String(port)],
    { logFile: join(artifacts, 'stream-http.log') },
  );
}
