import { AppError } from '@kiln/node-kit';
import { MACHINE_MESSAGES, NODE_STATUS as S, planAction, type NodeStatus } from '@kiln/protocol';
import { badRequest } from '../../domain-errors.js';
import { getConfigValue } from '../../maas-config/index.js';
import { assertImageNotMigrating } from '../../maas-migration/index.js';
import type { RegionContext } from '../../region-context.js';
import type { UserRow } from '../../users/index.js';
import { resolveDeployTarget } from '../images/deploy-target.js';
import { machineStatus } from '../repository/machine-json.js';
import { getMachine } from '../repository/machines-repository.js';
import type { MachineRow } from '../repository/tables.js';
import { ensureNodeToken } from '../tokens/node-tokens.js';
import { deployImage, machineInstallConfig } from './install-config-for.js';
import { moveMachine } from './move-machine.js';
import { requireUnlocked } from './owner-rules.js';
import { powerOnToNetboot } from './power-machine.js';

export interface DeployOptions {
  readonly distroSeries?: string | undefined;
  /** `custom` (or another OS) when distro_series is given without one, as MAAS accepts it. */
  readonly osystem?: string | undefined;
  readonly userData?: string | undefined;
  readonly hweKernel?: string | undefined;
  readonly ephemeralDeploy?: boolean | undefined;
  readonly agentName?: string | undefined;
  readonly comment?: string | undefined;
  /** Rack base URL used to check that the install config renders. */
  readonly rackUrl: string;
}

/** user_data must be base64 (MAAS stores it as given and decodes it when serving). */
function checkUserData(text: string): void {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) {
    throw badRequest('MACHINE_USER_DATA_INVALID', 'user_data must be base64-encoded.');
  }
}

/**
 * `deploy` (spec §2.11, §4.6): a READY machine is allocated to the caller on the way; an image
 * must be complete for the release/arch (seed takeaway 4); the install config must render
 * (takeaway 5: pre-seeds are fixed before the install starts); user data is stored before power on
 * (takeaway 6).
 */
export async function deployMachine(
  region: RegionContext,
  machine: MachineRow,
  user: UserRow,
  options: DeployOptions,
): Promise<MachineRow> {
  requireUnlocked(machine);
  if (machine.owner !== null && machine.owner !== user.username && user.is_admin !== 1) {
    throw new AppError('MACHINE_NOT_OWNER', MACHINE_MESSAGES.allocatedToAnotherUser);
  }
  const status = machineStatus(machine);
  const plan = planAction('deploy', {
    status,
    systemId: machine.system_id,
    previousStatus: machine.previous_status as NodeStatus,
  });
  const defaultOs = String(await getConfigValue(region.db, region.config, 'default_osystem'));
  const defaultSeries = String(
    await getConfigValue(region.db, region.config, 'default_distro_series'),
  );
  const { osystem, release } = await resolveDeployTarget(region.db, {
    distroSeries: options.distroSeries,
    osystem: options.osystem,
    defaultOsystem: defaultOs,
    defaultSeries,
  });
  if (options.userData !== undefined) checkUserData(options.userData);
  const hwe = options.hweKernel ?? machine.hwe_kernel;
  await assertImageNotMigrating(region.db, osystem, release, machine.architecture);
  await deployImage(region, osystem, release, machine.architecture, hwe);
  const ephemeral = options.ephemeralDeploy === true;
  if (!ephemeral) {
    try {
      await machineInstallConfig(
        region,
        machine,
        options.rackUrl,
        { consumer_key: 'check', token_key: 'check', token_secret: 'check' },
        { osystem, release },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw badRequest('MACHINE_PRESEED_RENDER_FAILED', `Failed to render preseed: ${message}`);
    }
  }
  const owner = machine.owner ?? user.username;
  const moved = await moveMachine(region.db, region, machine, {
    path: plan.path,
    patch: {
      owner,
      osystem,
      distro_series: release,
      hwe_kernel: hwe,
      user_data: options.userData ?? null,
      ephemeral_deploy: ephemeral ? 1 : 0,
      netboot: 1,
      error_description: '',
      ...(options.agentName === undefined ? {} : { agent_name: options.agentName }),
    },
    event: { type: 'Deploying', description: options.comment ?? `Deploying ${osystem}/${release}` },
    username: user.username,
  });
  await ensureNodeToken(region.db, moved.id);
  try {
    await powerOnToNetboot(region, moved, user.username);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await moveMachine(region.db, region, await getMachine(region.db, moved.system_id), {
      path: [S.FAILED_DEPLOYMENT],
      patch: { error_description: reason },
      event: { type: 'Power on failed', description: reason, level: 'ERROR' },
    });
    throw error;
  }
  return getMachine(region.db, moved.system_id);
}
