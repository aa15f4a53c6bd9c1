import { AppError } from '@kiln/node-kit';
import { MACHINE_MESSAGES, NODE_STATUS as S } from '@kiln/protocol';
import type { ActionDeclaration } from '../../api/handler-types.js';
import { json, validationError } from '../../api/responses.js';
import { readJsonObject } from '../../db/index.js';
import { machineInstallConfig } from '../lifecycle/install-config-for.js';
import { abortMachine, markBroken, markFixed, setLocked } from '../lifecycle/machine-actions.js';
import { requireAdmin, requireOwnerOrAdmin } from '../lifecycle/owner-rules.js';
import { enterRescueMode, exitRescueMode } from '../lifecycle/rescue-mode.js';
import { powerMachine } from '../lifecycle/power-machine.js';
import { overrideFailedTesting, testMachine } from '../lifecycle/testing.js';
import { machineStatus } from '../repository/machine-json.js';
import type { getMachine } from '../repository/machines-repository.js';
import { ensureNodeToken } from '../tokens/node-tokens.js';
import { comment, machineResult, withMachine, type Run } from './element-action.js';
import { detailsBson, machineDetails } from './machine-details.js';
import { rackUrlFor, requireUser } from './request-helpers.js';
import { setStorageLayout, STORAGE_LAYOUT_FIELDS } from './storage-layout-op.js';

/** Power, inspection and storage operations of MachineHandler. */
export const MACHINE_INFO_OPS: readonly ActionDeclaration[] = [
  {
    method: 'POST',
    op: 'power_on',
    doc: 'Turn on a node\n\nPowers on a given node.',
    fields: [{ name: 'user_data', kind: 'string', doc: 'Base64-encoded user data.' }, comment],
    run: withMachine(async (m, ctx) => {
      const user = requireUser(ctx.request);
      if (user.is_admin !== 1 && m.owner !== user.username) {
        throw new AppError('MACHINE_NOT_OWNER', MACHINE_MESSAGES.powerOnNotAllocated);
      }
      await powerMachine(ctx.region, m, 'on', user.username);
      return machineResult(ctx, m.system_id);
    }),
  },
  {
    method: 'POST',
    op: 'power_off',
    doc: 'Power off a node\n\nPowers off a given node.',
    fields: [
      { name: 'stop_mode', kind: 'string', choices: ['hard', 'soft'], doc: 'Power-off mode.' },
      comment,
    ],
    run: withMachine(async (m, ctx) => {
      requireOwnerOrAdmin(m, ctx.request.user, 'power off');
      await powerMachine(ctx.region, m, 'off', ctx.request.user?.username ?? null);
      return machineResult(ctx, m.system_id);
    }),
  },
  {
    method: 'GET',
    op: 'query_power_state',
    doc: 'Get the power state of a node\n\nGets the power state of a given node from its BMC.',
    run: withMachine(async (m, ctx) =>
      json({
        state: await powerMachine(ctx.region, m, 'query', ctx.request.user?.username ?? null),
      }),
    ),
  },
  {
    method: 'GET',
    op: 'power_parameters',
    admin: true,
    doc: 'Get power parameters\n\nGets power parameters for a given system_id.',
    run: withMachine((m) => Promise.resolve(json(readJsonObject(m.power_parameters)))),
  },
  {
    method: 'GET',
    op: 'details',
    doc: "Get system details\n\nReturns a BSON document with the machine's lshw and lldp XML, as MAAS does. With `Accept: application/json`, Kiln's JSON instead: the hardware and the timeline with phase durations.",
    run: withMachine(async (m, ctx) => {
      const details = await machineDetails(ctx.region.db, m);
      if (ctx.request.accept?.includes('application/json') === true) return json(details);
      return { status: 200, bytes: detailsBson(details), contentType: 'application/bson' };
    }),
  },
  {
    method: 'POST',
    op: 'set_owner_data',
    doc: "Set key=value data for the current owner\n\nEach parameter is a key of the machine's owner data; an empty value removes the key. The data is cleared when the machine is released.\n\n:param key: Optional. Any key=value pair; the parameter name is the key.\n:type key: String",
    run: withMachine(async (m, ctx) => {
      requireOwnerOrAdmin(m, ctx.request.user, 'set owner data of');
      const data = new Map(Object.entries(readJsonObject(m.owner_data) as Record<string, string>));
      for (const name of ctx.request.form.names()) {
        const value = ctx.request.form.last(name);
        if (typeof value !== 'string') {
          throw validationError({ [name]: ['Owner data values must be text, not files.'] });
        }
        if (value === '') data.delete(name);
        else data.set(name, value);
      }
      await ctx.region.db
        .updateTable('machines')
        .set({ owner_data: JSON.stringify(Object.fromEntries(data)) })
        .where('id', '=', m.id)
        .execute();
      return machineResult(ctx, m.system_id);
    }),
  },
  {
    method: 'GET',
    op: 'get_token',
    admin: true,
    doc: 'Get a machine token\n\nThe OAuth credentials the machine signs metadata requests with (created when missing). Administrators only: they let the holder speak as the machine.',
    run: withMachine(async (m, ctx) => {
      requireAdmin(ctx.request.user);
      const token = await ensureNodeToken(ctx.region.db, m.id);
      return json({
        token_key: token.token_key,
        token_secret: token.token_secret,
        consumer_key: token.consumer_key,
      });
    }),
  },
  {
    method: 'GET',
    op: 'get_curtin_config',
    doc: "Get curtin configuration\n\nReturn the rendered install configuration (Kiln's installer, not curtin) of a deploying machine.",
    run: withMachine(async (m, ctx) => {
      requireOwnerOrAdmin(m, ctx.request.user, 'read the install configuration of');
      const status = machineStatus(m);
      if (status !== S.DEPLOYING && status !== S.DEPLOYED) {
        throw new AppError(
          'MACHINE_NOT_DEPLOYING',
          `Machine ${m.system_id} is not in a deployment state.`,
        );
      }
      const credentials = await ensureNodeToken(ctx.region.db, m.id);
      return json(
        await machineInstallConfig(ctx.region, m, rackUrlFor(m, ctx.request.origin), credentials),
      );
    }),
  },
  {
    method: 'POST',
    op: 'set_storage_layout',
    doc: 'Change storage layout\n\nChanges the storage layout on machine (flat or lvm).',
    fields: STORAGE_LAYOUT_FIELDS,
    run: withMachine(async (m, ctx) => {
      requireAdmin(ctx.request.user);
      await setStorageLayout(ctx, m);
      return machineResult(ctx, m.system_id);
    }),
  },
];

/** Status operations that take only a comment. */
export function simpleOps(): ActionDeclaration[] {
  const op = (
    name: string,
    doc: string,
    act: (
      ctx: Parameters<Run>[0],
      m: Awaited<ReturnType<typeof getMachine>>,
      note: string | undefined,
    ) => Promise<{ system_id: string }>,
    admin = false,
  ): ActionDeclaration => ({
    method: 'POST',
    op: name,
    doc,
    ...(admin ? { admin: true } : {}),
    fields: [comment],
    run: withMachine(async (m, ctx) => {
      const done = await act(ctx, m, ctx.input.string('comment'));
      return machineResult(ctx, done.system_id);
    }),
  });
  return [
    op('abort', "Abort a node operation\n\nAbort a node's current operation.", (c, m, n) =>
      abortMachine(c.region, m, c.request.user, n),
    ),
    op('mark_broken', 'Mark a machine as Broken', (c, m, n) =>
      markBroken(c.region, m, c.request.user, n),
    ),
    op(
      'mark_fixed',
      'Mark a machine as Fixed',
      (c, m, n) => markFixed(c.region, m, c.request.user, n),
      true,
    ),
    op('lock', 'Lock a machine\n\nMark a machine as locked, to prevent changes.', (c, m, n) =>
      setLocked(c.region, m, c.request.user, true, n),
    ),
    op('unlock', 'Unlock a machine', (c, m, n) => setLocked(c.region, m, c.request.user, false, n)),
    op(
      'rescue_mode',
      'Enter rescue mode\n\nBoot the machine into the ephemeral environment and keep it there for repair.',
      (c, m, n) => enterRescueMode(c.region, m, c.request.user, n),
      true,
    ),
    op(
      'exit_rescue_mode',
      'Exit rescue mode\n\nReturn the machine to the status it had before rescue mode (a deployed machine reboots into its system).',
      (c, m, n) => exitRescueMode(c.region, m, c.request.user, n),
      true,
    ),
    {
      method: 'POST',
      op: 'test',
      admin: true,
      doc: "Begin testing process for a node\n\nBoot the machine into the ephemeral environment and run Kiln's built-in hardware tests; it returns to its status when they pass (a deployed machine reboots into its system), else goes to Failed testing.",
      fields: [
        {
          name: 'enable_ssh',
          kind: 'bool',
          doc: 'Keep the testing environment up after the tests (it is not powered off).',
        },
        {
          name: 'testing_scripts',
          kind: 'list',
          doc: 'Names of built-in tests to run (comma-separated or repeated); default: all (disk-read, memory-info).',
        },
        comment,
      ],
      run: withMachine(async (m, ctx) => {
        const done = await testMachine(ctx.region, m, ctx.request.user, {
          scripts: ctx.input.list('testing_scripts'),
          enableSsh: ctx.input.bool('enable_ssh'),
          comment: ctx.input.string('comment'),
        });
        return machineResult(ctx, done.system_id);
      }),
    },
    op(
      'override_failed_testing',
      'Ignore failed tests\n\nMove a machine from Failed testing to Deployed (when it has an OS) or Ready.',
      (c, m, n) => overrideFailedTesting(c.region, m, c.request.user, n),
      true,
    ),
  ];
}
