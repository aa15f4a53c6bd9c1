import { isAbsolute } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAppError } from '@kiln/node-kit';
import type { PowerState } from '@kiln/protocol';
import { z } from 'zod';
import { powerField, type PowerContext, type PowerDriver } from './power-driver.js';
import { POWER_ERROR_CODES, powerFailure } from './power-errors.js';
import { requiredText } from './power-parameters.js';
import { QmpSession } from './qmp-session.js';

const qemuSchema = z.strictObject({
  power_address: requiredText().refine(
    (v) => isAbsolute(v) && !v.includes('\0'),
    'Enter the absolute path of the QMP unix socket.',
  ),
});

export type QemuParameters = z.infer<typeof qemuSchema>;

/** QEMU run states (`query-status`) → power state. */
export function qemuRunStateToPower(status: string): PowerState {
  if (status === 'running') return 'on';
  // Powered off in Kiln's sense: vCPUs stopped, a `cont` (after a reset) boots from firmware.
  if (status === 'prelaunch' || status === 'paused' || status === 'shutdown') return 'off';
  if (status === 'guest-panicked' || status === 'internal-error' || status === 'io-error') {
    return 'error';
  }
  return 'unknown';
}

const statusSchema = z.looseObject({ status: z.string(), running: z.boolean() });
const SETTLE_POLL_MS = 20;

async function runStatus(session: QmpSession): Promise<string> {
  return statusSchema.parse(await session.execute('query-status')).status;
}

/**
 * `system_reset` is carried out by QEMU's main loop after the command returns; a stopped VM then
 * lands in `prelaunch`. Wait for that so the next `cont` starts from firmware rather than failing
 * ("Resetting the Virtual Machine is required") or resuming the old guest.
 */
async function resetToPrelaunch(session: QmpSession, ctx: PowerContext, limitMs: number) {
  await session.execute('system_reset');
  for (let waited = 0; waited <= limitMs; waited += SETTLE_POLL_MS) {
    if ((await runStatus(session)) === 'prelaunch') return;
    await sleep(SETTLE_POLL_MS, undefined, { signal: ctx.signal });
  }
  throw powerFailure(POWER_ERROR_CODES.ACTION_TIMEOUT, 'QEMU did not finish the reset in time.');
}

async function withSession<T>(
  p: QemuParameters,
  ctx: PowerContext,
  timeoutMs: number,
  work: (session: QmpSession) => Promise<T>,
): Promise<T> {
  const session = await QmpSession.open(p.power_address, ctx.signal, timeoutMs);
  try {
    return await work(session);
  } finally {
    session.close();
  }
}

export interface QemuDriverOptions {
  /** Limit for one QMP answer and for a reset to settle. */
  readonly timeoutMs?: number;
}

/**
 * VMs under test: power off = `stop` + `system_reset` (the process and its QMP socket survive,
 * so the VM can be powered on again); power on = `system_reset` when needed + `cont`. Start QEMU
 * with `-S -no-shutdown` so a fresh VM waits for "power on" and a guest poweroff leaves the
 * process running in the `shutdown` state.
 */
export function createQemuPowerDriver(
  options: QemuDriverOptions = {},
): PowerDriver<QemuParameters> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    name: 'qemu',
    description: 'QEMU (QMP socket)',
    queryable: true,
    fields: [powerField('power_address', 'QMP unix socket path', { required: true })],
    parametersSchema: qemuSchema,
    powerOn: (p, ctx) =>
      withSession(p, ctx, timeoutMs, async (session) => {
        const status = await runStatus(session);
        if (status === 'running') return;
        if (status !== 'prelaunch') await resetToPrelaunch(session, ctx, timeoutMs);
        await session.execute('cont');
      }),
    powerOff: (p, ctx) =>
      withSession(p, ctx, timeoutMs, async (session) => {
        const status = await runStatus(session);
        if (status === 'prelaunch' || status === 'shutdown') return;
        if (status === 'running') await session.execute('stop');
        await resetToPrelaunch(session, ctx, timeoutMs);
      }),
    async queryState(p, ctx) {
      try {
        return await withSession(p, ctx, timeoutMs, async (s) =>
          qemuRunStateToPower(await runStatus(s)),
        );
      } catch (error) {
        // No process behind the socket: the VM is off (QEMU removes its socket when it exits).
        if (isAppError(error) && error.details?.notRunning === true) return 'off';
        throw error;
      }
    },
  };
}
