import { Gauge, Registry } from 'prom-client';
import type { DhcpHealth } from './dhcp-service.js';

/**
 * DHCP health for the rack's `/metrics`, read from the supervisor at scrape time so the numbers
 * can never drift from what `health()` reports.
 */
export function registerDhcpMetrics(
  health: () => DhcpHealth,
  registry: Registry = new Registry(),
): void {
  const registers = [registry];
  new Gauge({
    name: 'kiln_rack_dhcp_running',
    help: '1 while the supervised dnsmasq is running, else 0',
    registers,
    collect() {
      this.set(health().running ? 1 : 0);
    },
  });
  new Gauge({
    name: 'kiln_rack_dhcp_restarts',
    help: 'Times dnsmasq was restarted after it stopped on its own',
    registers,
    collect() {
      this.set(health().restarts);
    },
  });
  new Gauge({
    name: 'kiln_rack_dhcp_served_subnets',
    help: 'Subnets this rack currently serves DHCP on',
    registers,
    collect() {
      const current = health();
      this.set(current.running ? current.subnets.length : 0);
    },
  });
}
