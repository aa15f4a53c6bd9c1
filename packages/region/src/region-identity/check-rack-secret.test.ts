import { expect, it } from 'vitest';
import { BOOT_CONFIG_PATH } from '../machines/index.js';
import { apiFetch, describeRegion, formBody } from '../testing/index.js';
import { checkRackSecret, getOrCreateRackSecret } from './index.js';

/** The real secret with its last character changed (same length), and longer and shorter ones. */
function wrongSecrets(secret: string): Record<string, string> {
  const last = secret.endsWith('a') ? 'b' : 'a';
  return {
    'same length': `${secret.slice(0, -1)}${last}`,
    longer: `${secret}x`,
    shorter: secret.slice(0, 8),
  };
}

describeRegion('the rack secret check', (region) => {
  it('refuses a wrong secret of the same and of a different length with one code and status', async () => {
    const { db } = region().region;
    const secret = await getOrCreateRackSecret(db);
    await expect(checkRackSecret(db, secret)).resolves.toBeUndefined();
    const wrong = Object.values(wrongSecrets(secret));
    expect(wrong.map((w) => w.length === secret.length)).toEqual([true, false, false]);
    for (const given of [...wrong, '', undefined, ['two', 'headers']]) {
      await expect(checkRackSecret(db, given)).rejects.toMatchObject({
        code: 'RACK_SECRET_INVALID',
        status: 401,
      });
    }
  });

  it('answers both rack routes alike for every wrong secret', async () => {
    const secret = await getOrCreateRackSecret(region().region.db);
    const answers = new Set<string>();
    for (const given of Object.values(wrongSecrets(secret))) {
      const bootConfig = await fetch(new URL(BOOT_CONFIG_PATH, region().url), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Kiln-Rack-Secret': given },
        body: JSON.stringify({ mac: '52:54:00:00:40:01', arch: 'amd64' }),
      });
      answers.add(`boot-config ${String(bootConfig.status)} ${await bootConfig.text()}`);
      const rackAgent = await apiFetch(region().url, 'rack-agent/?op=dhcp_state', {
        method: 'POST',
        body: formBody({ secret: given, system_id: 'abcdef' }),
      });
      answers.add(`rack-agent ${String(rackAgent.status)} ${await rackAgent.text()}`);
    }
    expect([...answers].sort()).toEqual([
      'boot-config 401 Missing or wrong rack secret.',
      'rack-agent 401 Missing or wrong rack secret.',
    ]);
  });
});
