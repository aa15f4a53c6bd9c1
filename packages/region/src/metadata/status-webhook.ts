import { AppError } from '@kiln/node-kit';
import { NODE_STATUS as S, failedStatusFor, isNodeStatus, nodeStatusName } from '@kiln/protocol';
import { recordEvent } from '../events/index.js';
import type { RegionContext } from '../region-context.js';
import { completeRelease } from '../machines/lifecycle/release-cleanup.js';
import { moveMachine, touchExpiry } from '../machines/lifecycle/move-machine.js';
import type { MachineRow } from '../machines/repository/tables.js';
import { storeScriptOutputs } from './script-results.js';

interface StatusFile {
  readonly name: string;
  readonly content: Buffer;
}

const REQUIRED = ['event_type', 'origin', 'name', 'description'] as const;
const FAILURES = new Set(['FAIL', 'FAILURE', 'ERROR']);
/** The tail of failure output kept in the event itself, so `events/?op=query` shows why. */
const EVENT_OUTPUT_TAIL = 4000;

function parseBody(raw: Buffer): Record<string, unknown> {
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(raw.toString('latin1'))) {
    throw new AppError('METADATA_STATUS_NOT_ASCII', 'Status payload must be ASCII-only.');
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('ascii'));
  } catch {
    throw new AppError('METADATA_STATUS_INVALID_JSON', 'Status payload is not valid JSON.');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('METADATA_STATUS_INVALID_JSON', 'Status payload must be a JSON object.');
  }
  const missing = REQUIRED.filter((k) => typeof (body as Record<string, unknown>)[k] !== 'string');
  if (missing.length > 0) {
    throw new AppError(
      'METADATA_STATUS_MISSING',
      `Missing parameter(s) ${missing.join(', ')} in status message.`,
    );
  }
  return body as Record<string, unknown>;
}

function filesOf(body: Record<string, unknown>): StatusFile[] {
  if (!Array.isArray(body.files)) return [];
  return body.files.flatMap((f: unknown): StatusFile[] => {
    if (f === null || typeof f !== 'object') return [];
    const file = f as Record<string, unknown>;
    const name =
      typeof file.path === 'string'
        ? file.path
        : typeof file.name === 'string'
          ? file.name
          : 'output';
    const content = typeof file.content === 'string' ? file.content : '';
    const data = file.encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content);
    return [{ name: name.split('/').pop() ?? name, content: data }];
  });
}

/**
 * The reporting webhook of the installer and cloud-init (spec §6.3): every event goes to the
 * machine's log; a top-level FAIL fails the in-progress status (with the output in the event) so
 * a broken install never hangs in DEPLOYING; `modules-final` success finishes deploys/releases.
 */
export async function handleStatusEvent(
  region: RegionContext,
  machine: MachineRow,
  raw: Buffer,
): Promise<void> {
  const body = parseBody(raw);
  const eventType = String(body.event_type);
  const name = String(body.name);
  const result = typeof body.result === 'string' ? body.result.toUpperCase() : undefined;
  const failed = result !== undefined && FAILURES.has(result);
  const files = filesOf(body);
  if (files.length > 0) {
    await storeScriptOutputs(
      region.db,
      machine,
      files.map((f) => ({ name: f.name, data: f.content, status: failed ? 'FAILED' : 'PASSED' })),
    );
  }
  const tail = failed
    ? files
        .map((f) => `\n--- ${f.name} ---\n${f.content.toString('utf8').slice(-EVENT_OUTPUT_TAIL)}`)
        .join('')
    : '';
  await recordEvent(region.db, {
    type: name,
    description: `${eventType}${result === undefined ? '' : ` ${result}`}: ${String(body.description)}${tail}`,
    level: failed
      ? 'ERROR'
      : result === 'WARN'
        ? 'WARNING'
        : eventType === 'start'
          ? 'INFO'
          : 'DEBUG',
    nodeSystemId: machine.system_id,
    nodeHostname: machine.hostname,
  });
  const topLevel = !name.includes('/');
  const status = isNodeStatus(machine.status) ? machine.status : undefined;
  if (status === undefined) return;
  if (eventType === 'finish' && topLevel && failed) {
    const to = failedStatusFor(status);
    if (to !== undefined) {
      await moveMachine(region.db, region, machine, {
        path: [to],
        patch: { error_description: String(body.description) },
        event: {
          type: nodeStatusName(to),
          description: `${name} failed: ${String(body.description)}`,
          level: 'ERROR',
        },
      });
    }
    return;
  }
  if (eventType === 'finish' && name === 'modules-final' && !failed) {
    if (status === S.DEPLOYING) {
      await moveMachine(region.db, region, machine, {
        path: [S.DEPLOYED],
        event: { type: 'Deployed', description: 'cloud-init modules-final finished' },
      });
      return;
    }
    if (status === S.DISK_ERASING || status === S.RELEASING) {
      await completeRelease(region.db, region, machine);
      return;
    }
  }
  // Installer progress keeps a long install from being mistaken for a hung one.
  if (status === S.DEPLOYING || status === S.COMMISSIONING || status === S.DISK_ERASING) {
    await touchExpiry(region.db, region, machine);
  }
}
