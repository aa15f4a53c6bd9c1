import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithout, unlessAvailable } from '@kiln/testkit';
import { createQemuPowerDriver, qemuRunStateToPower, type PowerContext } from './index.js';
import { QmpSession } from './qmp-session.js';

const QEMU = 'qemu-system-x86_64';
const haveQemu = spawnSync(QEMU, ['--version']).status === 0;
const driver = createQemuPowerDriver({ timeoutMs: 20_000 });
const ctx = (): PowerContext => ({
  systemId: 'vm1',
  signal: new AbortController().signal,
  logger: pino({ level: 'silent' }),
});

async function waitForSocket(path: string): Promise<void> {
  // Bounded: QEMU creates the socket during start-up, well before this limit.
  for (let i = 0; i < 500 && !existsSync(path); i++) await sleep(20);
}

describe.skipIf(skipWithout(unlessAvailable(haveQemu, `${QEMU} does not run`)))(
  'qemu driver against a real QEMU',
  () => {
    let dir: string;
    let socket: string;
    let vm: ChildProcess;

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kiln-qemu-'));
      socket = join(dir, 'qmp.sock');
      // No disk, no NIC: the VM only has to exist and run firmware. -S: start powered off.
      vm = spawn(
      QEMU,
      ['-accel', 'tcg', '-nographic', '-nodefaults', '-S', '-no-shutdown', '-m', '64',
       '-qmp', `unix:${socket},server=on,wait=off`],
      { stdio: 'ignore' },
    ); // prettier-ignore
      await waitForSocket(socket);
    });

    afterAll(async () => {
      if (vm.exitCode === null) vm.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    });

    it('sees a VM started with -S as off', async () => {
      expect(await driver.queryState({ power_address: socket }, ctx())).toBe('off');
    });

    it('powers on, off, and on again', async () => {
      const p = { power_address: socket };
      await driver.powerOn(p, ctx());
      expect(await driver.queryState(p, ctx())).toBe('on');
      await driver.powerOn(p, ctx()); // already on: nothing to do
      expect(await driver.queryState(p, ctx())).toBe('on');
      await driver.powerOff(p, ctx());
      expect(await driver.queryState(p, ctx())).toBe('off');
      await driver.powerOff(p, ctx()); // already off
      await driver.powerOn(p, ctx());
      expect(await driver.queryState(p, ctx())).toBe('on');
    });

    // A guest-initiated poweroff (the `shutdown` state) needs a guest OS; it takes the same
    // reset-then-cont path as this VM paused by someone else.
    it('powers on a VM that was paused behind its back, from a fresh reset', async () => {
      const p = { power_address: socket };
      const session = await QmpSession.open(socket, new AbortController().signal);
      try {
        await session.execute('stop');
        expect(await session.execute('query-status')).toMatchObject({ status: 'paused' });
      } finally {
        session.close();
      }
      expect(await driver.queryState(p, ctx())).toBe('off');
      await driver.powerOn(p, ctx());
      expect(await driver.queryState(p, ctx())).toBe('on');
    });

    it('rejects QMP errors with the QEMU message', async () => {
      const session = await QmpSession.open(socket, new AbortController().signal);
      try {
        await expect(session.execute('no-such-command')).rejects.toMatchObject({
          code: 'POWER_ACTION_FAILED',
          message: expect.stringContaining('CommandNotFound') as unknown,
        });
      } finally {
        session.close();
      }
    });

    it('reports off once QEMU has exited, and refuses to power it on', async () => {
      vm.kill('SIGTERM');
      await new Promise((resolve) => vm.once('exit', resolve));
      const p = { power_address: socket };
      expect(await driver.queryState(p, ctx())).toBe('off');
      await expect(driver.powerOn(p, ctx())).rejects.toMatchObject({
        code: 'POWER_ACTION_FAILED',
        status: 503,
        message: expect.stringContaining('No QEMU is listening') as unknown,
      });
    });
  },
);

describe('QEMU run states', () => {
  it.each([
    ['running', 'on'],
    ['prelaunch', 'off'],
    ['paused', 'off'],
    ['shutdown', 'off'],
    ['guest-panicked', 'error'],
    ['internal-error', 'error'],
    ['io-error', 'error'],
    ['inmigrate', 'unknown'],
  ])('%s is %s', (status, power) => {
    expect(qemuRunStateToPower(status)).toBe(power);
  });
});
