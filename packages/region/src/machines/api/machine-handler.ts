import { AppError } from '@kiln/node-kit';
import { MACHINE_MESSAGES, NODE_STATUS as S } from '@kiln/protocol';
import type { ActionDeclaration, HandlerDeclaration } from '../../api/handler-types.js';
import { deleted, json } from '../../api/responses.js';
import { readJsonObject } from '../../db/index.js';
import { recordEvent } from '../../events/index.js';
import { deployMachine } from '../lifecycle/deploy.js';
import { machineInstallConfig } from '../lifecycle/install-config-for.js';
import {
  abortMachine,
  commissionMachine,
  markBroken,
  markFixed,
  releaseMachine,
  setLocked,
} from '../lifecycle/machine-actions.js';
import { requireAdmin, requireOwnerOrAdmin } from '../lifecycle/owner-rules.js';
import { powerMachine } from '../lifecycle/power-machine.js';
import { machineJson, machineStatus } from '../repository/machine-json.js';
import { loadMachineView } from '../repository/machine-view.js';
import { getMachine } from '../repository/machines-repository.js';
import { ensureNodeToken } from '../tokens/node-tokens.js';
import { machineDetails } from './machine-details.js';
import { updateMachineFields, UPDATE_FIELDS } from './machine-update.js';
import { setStorageLayout, STORAGE_LAYOUT_FIELDS } from './storage-layout-op.js';
import { rackUrlFor, requireUser } from './request-helpers.js';

const comment = {
  name: 'comment',
  kind: 'string' as const,
  doc: 'Optional comment for the event log.',
};

type Run = ActionDeclaration['run'];
/** Every element action loads the machine named in the URL first (404 when unknown). */
const withMachine =
  (
    body: (
      machine: Awaited<ReturnType<typeof getMachine>>,
      ...rest: Parameters<Run>
    ) => ReturnType<Run>,
  ): Run =>
  async (ctx) => {
    requireUser(ctx.request);
    return body(await getMachine(ctx.region.db, ctx.request.params.system_id ?? ''), ctx);
  };

const machineResult = async (ctx: Parameters<Run>[0], systemId: string) =>
  json(
    machineJson(await loadMachineView(ctx.region.db, await getMachine(ctx.region.db, systemId))),
  );

export const machineHandler: HandlerDeclaration = {
  name: 'MachineHandler',
  doc: 'Manage an individual machine.',
  path: 'machines/{system_id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Read a node\n\nReads a node with the given system_id.',
      run: withMachine(async (m, ctx) =>
        json(machineJson(await loadMachineView(ctx.region.db, m))),
      ),
    },
    {
      method: 'PUT',
      op: null,
      doc: 'Update a machine\n\nUpdates a machine with the given system_id.',
      fields: UPDATE_FIELDS,
      run: withMachine(async (m, ctx) => {
        requireOwnerOrAdmin(m, ctx.request.user, 'update');
        await updateMachineFields(ctx, m);
        return machineResult(ctx, m.system_id);
      }),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a machine\n\nDeletes a machine with the given system_id.',
      run: withMachine(async (m, ctx) => {
        if (m.locked === 1) {
          throw new AppError(
            'MACHINE_LOCKED',
            `Cannot delete machine ${m.system_id}: it is locked.`,
            { status: 409 },
          );
        }
        await ctx.region.db.deleteFrom('machines').where('id', '=', m.id).execute();
        await recordEvent(ctx.region.db, {
          type: 'Deleted',
          nodeSystemId: m.system_id,
          nodeHostname: m.hostname,
          username: ctx.request.user?.username ?? null,
          level: 'AUDIT',
        });
        return deleted();
      }),
    },
    {
      method: 'POST',
      op: 'commission',
      admin: true,
      doc: 'Commission a machine\n\nBegin commissioning process for a machine.',
      fields: [
        {
          name: 'enable_ssh',
          kind: 'bool',
          doc: 'Whether to enable SSH for the commissioning environment.',
        },
        { name: 'skip_networking', kind: 'bool', doc: 'Accepted for compatibility.' },
        { name: 'skip_storage', kind: 'bool', doc: 'Accepted for compatibility.' },
        {
          name: 'commissioning_scripts',
          kind: 'list',
          doc: 'Accepted for compatibility; the built-in scripts always run.',
        },
        { name: 'testing_scripts', kind: 'list', doc: 'Accepted for compatibility.' },
      ],
      run: withMachine(async (m, ctx) => {
        const done = await commissionMachine(ctx.region, m, ctx.request.user);
        return machineResult(ctx, done.system_id);
      }),
    },
    {
      method: 'POST',
      op: 'deploy',
      doc: 'Deploy a machine\n\nDeploys an operating system to a machine with the given system_id.',
      fields: [
        {
          name: 'distro_series',
          kind: 'string',
          doc: 'The OS release to deploy: jammy, ubuntu/jammy, 22.04 or ubuntu/22.04.',
        },
        {
          name: 'user_data',
          kind: 'string',
          doc: 'Base64-encoded blob of data to be made available to the machine through the metadata service.',
        },
        {
          name: 'hwe_kernel',
          kind: 'string',
          doc: 'Specify the kernel to be used on the machine.',
        },
        {
          name: 'ephemeral_deploy',
          kind: 'bool',
          doc: 'Deploy the machine in memory only (no installation to disk).',
        },
        {
          name: 'agent_name',
          kind: 'string',
          doc: 'An optional agent name to attach to the machine.',
        },
        comment,
      ],
      run: withMachine(async (m, ctx) => {
        const user = requireUser(ctx.request);
        const done = await deployMachine(ctx.region, m, user, {
          distroSeries: ctx.input.string('distro_series'),
          userData: ctx.input.string('user_data'),
          hweKernel: ctx.input.string('hwe_kernel'),
          ephemeralDeploy: ctx.input.bool('ephemeral_deploy'),
          agentName: ctx.input.string('agent_name'),
          comment: ctx.input.string('comment'),
          rackUrl: rackUrlFor(m, ctx.request.origin),
        });
        return machineResult(ctx, done.system_id);
      }),
    },
    {
      method: 'POST',
      op: 'release',
      doc: 'Release a machine\n\nReleases a machine; with erase, its disks are erased first.',
      fields: [
        { name: 'erase', kind: 'bool', doc: 'Erase the disk when releasing.' },
        {
          name: 'secure_erase',
          kind: 'bool',
          doc: "Use the drive's secure erase feature if available.",
        },
        {
          name: 'quick_erase',
          kind: 'bool',
          doc: 'Wipe 2MiB at the start and at the end of the drive.',
        },
        { name: 'force', kind: 'bool', doc: 'Accepted for compatibility.' },
        comment,
      ],
      run: withMachine(async (m, ctx) => {
        const done = await releaseMachine(ctx.region, m, ctx.request.user, {
          erase: ctx.input.bool('erase'),
          secureErase: ctx.input.bool('secure_erase'),
          quickErase: ctx.input.bool('quick_erase'),
          comment: ctx.input.string('comment'),
        });
        return machineResult(ctx, done.system_id);
      }),
    },
    ...simpleOps(),
    {
      method: 'POST',
      op: 'power_on',
      doc: 'Turn on a node\n\nPowers on a given node.',
      fields: [{ name: 'user_data', kind: 'string', doc: 'Base64-encoded user data.' }, comment],
      run: withMachine(async (m, ctx) => {
        const user = requireUser(ctx.request);
        if (user.is_admin !== 1 && m.owner !== user.username) {
          throw new AppError('MACHINE_NOT_OWNER', MACHINE_MESSAGES.powerOnNotAllocated, {
            status: 403,
          });
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
      doc: "Get system details\n\nKiln returns JSON (MAAS: BSON): the machine's hardware and its timeline with phase durations.",
      run: withMachine(async (m, ctx) => json(await machineDetails(ctx.region.db, m))),
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
            { status: 400 },
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
  ],
};

function simpleOps(): ActionDeclaration[] {
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
  ];
}
