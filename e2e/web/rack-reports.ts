import type { RackCacheReport, RackReportInput } from '@kiln/protocol';
import { getOrCreateRackSecret } from '@kiln/region';
import { formBody, type TestRegion } from '@kiln/region/testing';

/**
 * Sends a rack registration or heartbeat the way the rack agent does (`rack-agent/` with the
 * shared secret and a JSON report), so the Controllers page has racks with cache figures without
 * running rack agents next to the browser.
 */
export async function reportRack(
  region: TestRegion,
  op: 'register' | 'heartbeat',
  rack: { systemId: string; hostname: string; address: string; cache: RackCacheReport },
): Promise<void> {
  const report: RackReportInput = {
    system_id: rack.systemId,
    hostname: rack.hostname,
    architecture: 'amd64/generic',
    version: '0.1.0',
    interfaces: [{ name: 'eth0', mac_address: null, addresses: [`${rack.address}/24`] }],
    services: { http: 'running', tftp: 'running', dhcpd: 'off' },
    cache: rack.cache,
  };
  const response = await fetch(new URL(`api/2.0/rack-agent/?op=${op}`, region.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({
      secret: await getOrCreateRackSecret(region.region.db),
      report: JSON.stringify(report),
    }),
  });
  if (response.status !== 200)
    throw new Error(`rack ${op} answered ${String(response.status)}: ${await response.text()}`);
}

/** Makes a rack look silent since `minutes` ago (the region then shows it dead). */
export async function silenceRack(region: TestRegion, systemId: string, minutes: number) {
  const then = new Date(Date.now() - minutes * 60_000).toISOString();
  await region.region.db
    .updateTable('rack_controllers')
    .set({ last_seen: then })
    .where('system_id', '=', systemId)
    .execute();
}
