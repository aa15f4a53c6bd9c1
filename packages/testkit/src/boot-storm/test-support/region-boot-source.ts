import { BootAnswerSchema, type BootAnswer, type BootRequest } from '@kiln/protocol';
import type { BootPurposeSource } from '@kiln/rack';

/**
 * The rack's question to the region over HTTP: `POST /MAAS/internal/boot-config/` with the rack
 * secret; 204 is "no answer". Written here because the rack agent integration that owns the
 * production version was not in the tree when the storm rig was built.
 */
export function httpBootPurposeSource(regionUrl: string, rackSecret: string): BootPurposeSource {
  const url = new URL('/MAAS/internal/boot-config/', regionUrl);
  return {
    async lookup(request: BootRequest): Promise<BootAnswer | null> {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kiln-rack-secret': rackSecret },
        body: JSON.stringify(request),
      });
      if (response.status === 204) return null;
      if (!response.ok)
        throw new Error(`region boot-config answered ${response.status}: ${await response.text()}`);
      return BootAnswerSchema.parse(await response.json());
    },
  };
}
