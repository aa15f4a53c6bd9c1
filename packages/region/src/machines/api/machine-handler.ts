import { AppError } from '@kiln/node-kit';
import type { HandlerDeclaration } from '../../api/handler-types.js';
import { deleted, json } from '../../api/responses.js';
import { recordEvent } from '../../events/index.js';
import { deployMachine } from '../lifecycle/deploy.js';
import { commissionMachine, releaseMachine } from '../lifecycle/machine-actions.js';
import { requireOwnerOrAdmin } from '../lifecycle/owner-rules.js';
import { machineJson } from '../repository/machine-json.js';
import { loadMachineView } from '../repository/machine-view.js';
import { comment, machineResult, withMachine } from './element-action.js';
import { MACHINE_INFO_OPS, simpleOps } from './machine-ops.js';
import { updateMachineFields, UPDATE_FIELDS } from './machine-update.js';
import { rackUrlFor, requireUser } from './request-helpers.js';

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
          doc: 'The OS release to deploy: jammy, ubuntu/jammy, 22.04 or ubuntu/22.04; a custom image as custom/<name> or <name>.',
        },
        {
          name: 'osystem',
          kind: 'string',
          doc: 'The operating system of distro_series when it names none (custom for uploaded images).',
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
          osystem: ctx.input.string('osystem'),
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
    ...MACHINE_INFO_OPS,
  ],
};
