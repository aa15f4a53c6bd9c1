import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createIpmiPowerDriver,
  runPowerAction,
  validatePowerParameters,
  type PowerContext,
  type PowerEventRecord,
} from './index.js';

// The only mock in the power tests: no BMC exists here, so a fake `ipmitool` first on PATH
// records its argv and environment and answers like ipmitool 1.8.19 does.
const FAKE_IPMITOOL = `#!/bin/sh
dir="$(dirname "$0")"
echo "$*" >> "$dir/argv.log"
echo "$IPMI_PASSWORD" >> "$dir/password.log"
if [ -f "$dir/slow" ]; then exec sleep 5; fi
if [ "$IPMI_PASSWORD" != "secret" ]; then
  echo "Error in open session response message : insufficient resources for session" >&2
  echo "RAKP 2 HMAC is invalid" >&2
  echo "Error: Unable to establish IPMI v2 / RMCP+ session" >&2
  exit 1
fi
fails=$(cat "$dir/fail-count" 2>/dev/null || echo 0)
if [ "$fails" -gt 0 ]; then
  echo $((fails - 1)) > "$dir/fail-count"
  echo "Error: Unable to establish IPMI v2 / RMCP+ session" >&2
  exit 1
fi
state=$(cat "$dir/state" 2>/dev/null || echo off)
case "$*" in
  *"chassis power status") if [ -f "$dir/garble" ]; then echo "Chassis Power Control: ???"; else echo "Chassis Power is $state"; fi ;;
  *"chassis power on") echo on > "$dir/state"; echo "Chassis Power Control: Up/On" ;;
  *"chassis power off") echo off > "$dir/state"; echo "Chassis Power Control: Down/Off" ;;
  *"chassis power soft") echo off > "$dir/state"; echo "Chassis Power Control: Soft" ;;
  *"chassis power cycle") echo on > "$dir/state"; echo "Chassis Power Control: Cycle" ;;
  *"chassis bootdev pxe"*) echo "Set Boot Device to pxe" ;;
  *) echo "unexpected: $*" >&2; exit 1 ;;
esac
`;

let dir: string;
const savedPath = process.env.PATH;
const driver = createIpmiPowerDriver();
const ctx = (): PowerContext => ({
  systemId: 'abc123',
  signal: new AbortController().signal,
  logger: pino({ level: 'silent' }),
});
const params = (overrides: Record<string, unknown> = {}) =>
  validatePowerParameters(driver, {
    power_address: '10.0.0.5',
    power_user: 'admin',
    power_pass: 'secret',
    ...overrides,
  });
const calls = async () =>
  (await readFile(join(dir, 'argv.log'), 'utf8').catch(() => ''))
    .trim()
    .split('\n')
    .filter(Boolean);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kiln-ipmi-'));
  await writeFile(join(dir, 'ipmitool'), FAKE_IPMITOOL);
  await chmod(join(dir, 'ipmitool'), 0o755);
  process.env.PATH = `${dir}${delimiter}${savedPath ?? ''}`;
});

afterAll(async () => {
  process.env.PATH = savedPath;
  await rm(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  for (const f of ['argv.log', 'password.log', 'state', 'fail-count', 'slow', 'garble']) {
    await rm(join(dir, f), { force: true });
  }
});

const SESSION = '-I lanplus -H 10.0.0.5 -L OPERATOR -U admin -E -C 3';

describe('ipmi power driver (fake ipmitool)', () => {
  it('sets PXE boot, checks the state, then powers on; the password stays out of argv', async () => {
    await driver.powerOn(params(), ctx());
    expect(await calls()).toEqual([
      `${SESSION} chassis bootdev pxe`,
      `${SESSION} chassis power status`,
      `${SESSION} chassis power on`,
    ]);
    expect(await driver.queryState(params(), ctx())).toBe('on');
    const passwords = (await readFile(join(dir, 'password.log'), 'utf8')).trim().split('\n');
    expect(new Set(passwords)).toEqual(new Set(['secret']));
    expect((await calls()).join(' ')).not.toContain('secret');
  });

  it('power-cycles a machine that is already on, like MAAS', async () => {
    await writeFile(join(dir, 'state'), 'on\n');
    await driver.powerOn(params({ power_boot_type: 'efi' }), ctx());
    expect(await calls()).toEqual([
      `${SESSION} chassis bootdev pxe options=efiboot`,
      `${SESSION} chassis power status`,
      `${SESSION} chassis power cycle`,
    ]);
  });

  it('powers off hard by default and soft on request', async () => {
    await writeFile(join(dir, 'state'), 'on\n');
    await driver.powerOff(params(), ctx());
    expect(await driver.queryState(params(), ctx())).toBe('off');
    await driver.powerOff(params({ power_off_mode: 'soft' }), ctx());
    expect((await calls()).map((c) => c.split(' chassis ')[1])).toEqual([
      'power off',
      'power status',
      'power soft',
    ]);
  });

  it.each([
    [{ power_driver: 'LAN' }, '-I lan -H 10.0.0.5 -L OPERATOR -U admin -E'],
    [
      { privilege_level: 'ADMIN', cipher_suite_id: '17' },
      '-I lanplus -H 10.0.0.5 -L ADMINISTRATOR -U admin -E -C 17',
    ],
    [{ cipher_suite_id: '' }, '-I lanplus -H 10.0.0.5 -L OPERATOR -U admin -E'],
    [{ k_g: '0x0102' }, `${SESSION} -y 0102`],
    [{ k_g: 'kgkey' }, `${SESSION} -k kgkey`],
  ])('builds the session arguments for %j', async (overrides, session) => {
    await driver.queryState(params(overrides), ctx());
    expect(await calls()).toEqual([`${session} chassis power status`]);
  });

  it('runs without -U/-E for a null user with no password (and the BMC refuses)', async () => {
    const p = params({ power_user: '', power_pass: '' });
    await expect(driver.queryState(p, ctx())).rejects.toMatchObject({ code: 'POWER_AUTH_FAILED' });
    expect(await calls()).toEqual(['-I lanplus -H 10.0.0.5 -L OPERATOR -C 3 chassis power status']);
  });

  it('reports a wrong password as POWER_AUTH_FAILED and is not retried', async () => {
    const events: PowerEventRecord[] = [];
    const p = params({ power_pass: 'wrong' });
    await expect(
      runPowerAction(driver, 'on', p, {
        systemId: 'abc123',
        logger: pino({ level: 'silent' }),
        recordEvent: (e) => void events.push(e),
        backoff: { initialMs: 1 },
      }),
    ).rejects.toMatchObject({
      code: 'POWER_AUTH_FAILED',
      status: 503,
      message: expect.stringContaining('BMC 10.0.0.5 rejected the credentials') as unknown,
    });
    expect(await calls()).toHaveLength(1);
    expect(events.map((e) => [e.type, e.level])).toEqual([
      ['Powering on', 'INFO'],
      ['Failed to power on node', 'ERROR'],
    ]);
  });

  it('retries a BMC that does not answer, then succeeds', async () => {
    await writeFile(join(dir, 'fail-count'), '2\n');
    const events: PowerEventRecord[] = [];
    const result = await runPowerAction(driver, 'query', params(), {
      systemId: 'abc123',
      logger: pino({ level: 'silent' }),
      recordEvent: (e) => void events.push(e),
      backoff: { initialMs: 1 },
    });
    expect(result).toEqual({ attempts: 3, state: 'off' });
    expect(events.map((e) => [e.type, e.level, e.attempt])).toEqual([
      ["Failed to query node's BMC", 'WARNING', 1],
      ["Failed to query node's BMC", 'WARNING', 2],
      ["Queried node's BMC", 'DEBUG', 3],
    ]);
    expect(events[0]?.description).toContain('Unable to establish IPMI v2 / RMCP+ session');
    expect(events[0]?.errorCode).toBe('POWER_ACTION_FAILED');
  });

  it('rejects output it does not understand', async () => {
    await writeFile(join(dir, 'garble'), '');
    await expect(driver.queryState(params(), ctx())).rejects.toMatchObject({
      code: 'POWER_ACTION_FAILED',
      message: expect.stringContaining('Unexpected ipmitool answer') as unknown,
    });
  });

  it('kills ipmitool at its time limit', async () => {
    await writeFile(join(dir, 'slow'), '');
    const quick = createIpmiPowerDriver({ timeoutMs: 200 });
    await expect(quick.queryState(params(), ctx())).rejects.toMatchObject({
      code: 'POWER_ACTION_TIMEOUT',
    });
  });

  it('stops when its signal is aborted', async () => {
    await writeFile(join(dir, 'slow'), '');
    const controller = new AbortController();
    const pending = driver.queryState(params(), { ...ctx(), signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'POWER_ACTION_ABORTED' });
  });

  it('names a missing ipmitool and lists the Debian package', async () => {
    const absent = createIpmiPowerDriver({ command: join(dir, 'no-such-ipmitool') });
    await expect(absent.queryState(params(), ctx())).rejects.toMatchObject({
      code: 'POWER_TOOL_MISSING',
      message: expect.stringContaining('Debian package ipmitool') as unknown,
    });
    expect(await absent.missingPackages?.()).toEqual(['ipmitool']);
    expect(await driver.missingPackages?.()).toEqual([]);
  });

  it.each([
    [{ power_address: '-oProxyCommand=x' }, 'power_address'],
    [{ power_address: '10.0.0.5; reboot' }, 'power_address'],
    [{ power_address: undefined }, 'power_address'],
    [{ privilege_level: 'ROOT' }, 'privilege_level'],
    [{ mac_address: 'not-a-mac' }, 'mac_address'],
    [{ workaround_flags: 'opensesspriv,bogus' }, 'workaround_flags'],
  ])('rejects %j naming the field', (overrides, field) => {
    expect(() => params(overrides)).toThrow(field);
  });

  it('accepts workaround flags as a list or a comma-separated string', () => {
    expect(params().workaround_flags).toEqual(['opensesspriv']);
    expect(params({ workaround_flags: 'authcap, idzero' }).workaround_flags).toEqual([
      'authcap',
      'idzero',
    ]);
    expect(params({ workaround_flags: ['sun20'] }).workaround_flags).toEqual(['sun20']);
    expect(params({ mac_address: '52:54:00:12:34:56' }).mac_address).toBe('52:54:00:12:34:56');
  });
});
