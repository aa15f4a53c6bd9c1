import { join } from 'node:path';
import {
  NODE_STATUS as S,
  TESTING_RESET_READY_STATUSES,
  canTransition,
  isNodeStatus,
  nodeStatusName,
  planAction,
  type NodeStatus,
} from '@kiln/protocol';
import { readJsonObject } from '../../db/index.js';
import { validationError } from '../../domain-errors.js';
import type { UserRow } from '../../users/index.js';
import {
  EPHEMERAL_ASSETS_DIR,
  TESTING_SCRIPTS_DIR_NAME,
  loadBuiltinScripts,
  type BundleScript,
} from '../ephemeral-assets/index.js';
import type { MachineRow } from '../repository/tables.js';
import { ensureNodeToken } from '../tokens/node-tokens.js';
import { ctxOf, powerOnOrFail } from './machine-actions.js';
import { moveMachine } from './move-machine.js';
import { requireUnlocked } from './owner-rules.js';
import type { MachineContext } from '../machine-context.js';

/**
 * Hardware testing (MAAS's `test`): the machine boots the ephemeral environment, whose
 * commissioning runner runs the built-in testing scripts (assets/ephemeral/testing-scripts) the
 * metadata server bundles for a TESTING machine, and signals OK or FAILED. OK returns the machine
 * to where testing started (metadata/signal.ts → testingPassed), FAILED leaves FAILED_TESTING.
 */

export interface TestOptions {
  /** Names of built-in tests (each may hold a comma-separated list); empty or absent: all. */
  readonly scripts?: readonly string[] | undefined;
  /** Keep the environment up after the tests (no power_state in the preseed). */
  readonly enableSsh?: boolean | undefined;
  readonly comment?: string | undefined;
}

/** What `testing_options` holds while a machine tests. */
export interface TestingOptions {
  readonly scripts: readonly string[];
  readonly enable_ssh: boolean;
}

const testingDir = () => join(EPHEMERAL_ASSETS_DIR, TESTING_SCRIPTS_DIR_NAME);

/** The built-in tests, in run order. */
export function builtinTests(): Promise<BundleScript[]> {
  return loadBuiltinScripts(testingDir());
}

/** `testing_scripts` → the names to run (all when none are given); 400 naming unknown ones. */
export async function resolveTestingScripts(
  requested: readonly string[] | undefined,
): Promise<string[]> {
  const known = (await builtinTests()).map((s) => s.name);
  const names = [
    ...new Set(
      (requested ?? [])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== ''),
    ),
  ];
  if (names.length === 0) return known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw validationError({
      testing_scripts: [
        `Unknown testing script(s): ${unknown.join(', ')}. Built-in tests: ${known.join(', ')}.`,
      ],
    });
  }
  // Run order is the built-in order, whatever order they were asked for in.
  return known.filter((n) => names.includes(n));
}

export function readTestingOptions(machine: MachineRow): TestingOptions {
  const raw = readJsonObject(machine.testing_options);
  const scripts = Array.isArray(raw.scripts)
    ? raw.scripts.filter((s): s is string => typeof s === 'string')
    : [];
  return { scripts, enable_ssh: raw.enable_ssh === true };
}

/** The scripts bundle of a TESTING machine: the tests its request named. */
export async function testingScriptsFor(machine: MachineRow): Promise<BundleScript[]> {
  const wanted = readTestingOptions(machine).scripts;
  return (await builtinTests()).filter((s) => wanted.includes(s.name));
}

export async function testMachine(
  region: MachineContext,
  machine: MachineRow,
  user: UserRow | null,
  options: TestOptions,
): Promise<MachineRow> {
  // Everything is checked before anything changes.
  requireUnlocked(machine);
  const scripts = await resolveTestingScripts(options.scripts);
  const plan = planAction('test', ctxOf(machine));
  const username = user?.username ?? null;
  const testing: TestingOptions = { scripts, enable_ssh: options.enableSsh === true };
  const moved = await moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: { netboot: 1, error_description: '', testing_options: JSON.stringify(testing) },
    event: {
      type: 'Testing',
      description: options.comment ?? `Started testing: ${scripts.join(', ')}`,
    },
    username,
  });
  await ensureNodeToken(region.db, moved.id);
  return powerOnOrFail(region, moved, S.FAILED_TESTING, username);
}

/**
 * Where passed tests leave a machine that started testing from `previous` (spec §4.2): READY
 * from the statuses MAAS resets (TESTING_RESET_READY_STATUSES), else back to `previous`. When
 * the transition table has no way back (testing started in FAILED_COMMISSIONING or RESCUE_MODE)
 * the machine waits in FAILED_TESTING for an operator, as an aborted test run does
 * (protocol's abort rule); override_failed_testing or commission moves it on.
 */
export function testingPassedStatus(previous: number): NodeStatus {
  if (!isNodeStatus(previous) || TESTING_RESET_READY_STATUSES.includes(previous)) return S.READY;
  return canTransition(S.TESTING, previous) ? previous : S.FAILED_TESTING;
}

/**
 * The tests passed (OK signal). A deployed machine is DEPLOYED again with netboot off: its
 * preseed told the environment to reboot, and the rack now answers `local`.
 */
export function testingPassed(region: MachineContext, machine: MachineRow): Promise<MachineRow> {
  const to = testingPassedStatus(machine.previous_status);
  const stuck = to === S.FAILED_TESTING;
  const description = stuck
    ? `Tests passed, but '${nodeStatusName(machine.previous_status as NodeStatus)}' cannot be returned to; override failed testing or commission the machine`
    : `Tests passed; back to '${nodeStatusName(to)}'`;
  return moveMachine(region.db, region, machine, {
    path: [to],
    patch: {
      ...(to === S.DEPLOYED ? { netboot: 0 } : {}),
      ...(to === S.READY ? { owner: null } : {}),
      error_description: stuck ? description : '',
    },
    event: { type: 'Testing complete', description, level: stuck ? 'WARNING' : 'INFO' },
  });
}

/** MAAS's override_failed_testing: FAILED_TESTING → DEPLOYED when it has an OS, else READY. */
export function overrideFailedTesting(
  region: MachineContext,
  machine: MachineRow,
  user: UserRow | null,
  comment: string | undefined,
): Promise<MachineRow> {
  requireUnlocked(machine);
  const plan = planAction('override_failed_testing', ctxOf(machine));
  const deployed = plan.to === S.DEPLOYED;
  return moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: {
      error_description: '',
      // A deployed machine boots its installed system from now on.
      ...(deployed ? { netboot: 0 } : { owner: null }),
    },
    event: {
      type: 'Failed testing overridden',
      description: comment ?? `Marked '${nodeStatusName(deployed ? S.DEPLOYED : S.READY)}'`,
    },
    username: user?.username ?? null,
  });
}
