import { COMMISSIONING_LIKE_STATUSES, NODE_STATUS as S, isNodeStatus } from '@kiln/protocol';
import { readJsonObject } from '../db/index.js';
import {
  buildScriptsBundle,
  loadBuiltinScripts,
  renderCommissioningUserData,
  renderInstallerUserData,
  type ScriptsBundle,
} from '../machines/index.js';
import { encodeInstallConfigForShell } from '../machines/index.js';
import { machineInstallConfig } from '../machines/index.js';
import { moveMachine } from '../machines/index.js';
import { testingScriptsFor } from '../machines/index.js';
import type { MachineRow } from '../machines/index.js';
import { ensureNodeToken } from '../machines/index.js';
import { wipeDisksScript } from './erase-script.js';
import type { MachineContext } from '../machines/index.js';

export interface Served {
  readonly status: number;
  readonly type: string;
  readonly body: string | Buffer;
}

const notFoundBody = (what: string): Served => ({
  status: 404,
  type: 'text/plain; charset=utf-8',
  body: what,
});

/** MAAS decodes stored user data when it is valid base64 (with or without whitespace). */
export function decodeUserData(stored: string): Buffer {
  const compact = stored.replace(/\s+/g, '');
  if (compact.length > 0 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact)) {
    return Buffer.from(compact, 'base64');
  }
  return Buffer.from(stored);
}

const isCommissioningLike = (m: MachineRow) =>
  isNodeStatus(m.status) && COMMISSIONING_LIKE_STATUSES.includes(m.status);

/**
 * `<v>/user-data`. The ephemeral environment of a commissioning-like machine gets the
 * commissioning runner; the installer reads `curtin/<v>/user-data` instead, so a plain user-data
 * request from a DEPLOYING machine is its installed OS booting: MAAS's signal that the deployment
 * finished (spec §4.6 step 6). The user's cloud-init data is served from then on.
 */
export async function serveUserData(
  region: MachineContext,
  machine: MachineRow,
  base: string,
  curtin: boolean,
): Promise<Served> {
  const creds = await ensureNodeToken(region.db, machine.id);
  if (curtin) {
    if (machine.status !== S.DEPLOYING) return notFoundBody('No install in progress.');
    const body = await renderInstallerUserData({
      configUrl: `${base}/MAAS/metadata/latest/install-config`,
      credentials: creds,
    });
    return { status: 200, type: 'application/octet-stream', body };
  }
  if (isCommissioningLike(machine)) {
    const body = await renderCommissioningUserData({
      metadataUrl: `${base}/MAAS/metadata/`,
      credentials: creds,
    });
    return { status: 200, type: 'application/octet-stream', body };
  }
  if (machine.status === S.DEPLOYING) {
    await moveMachine(region.db, region, machine, {
      path: [S.DEPLOYED],
      event: {
        type: 'Deployed',
        description: 'The installed system requested its user data (first boot)',
      },
    });
  } else if (machine.status !== S.DEPLOYED) {
    return notFoundBody('No user data available for this node.');
  }
  if (machine.user_data === null || machine.user_data === '')
    return notFoundBody('No user data available for this node.');
  return { status: 200, type: 'application/octet-stream', body: decodeUserData(machine.user_data) };
}

/**
 * `<v>/maas-scripts`: the erase script while erasing, nothing to run in rescue mode (the runner
 * then just reports the environment up), the requested built-in tests while testing, else the
 * built-in commissioning scripts.
 */
export async function scriptsBundleFor(machine: MachineRow): Promise<ScriptsBundle> {
  if (machine.status === S.ENTERING_RESCUE_MODE || machine.status === S.RESCUE_MODE)
    return buildScriptsBundle([]);
  if (machine.status === S.TESTING) return buildScriptsBundle(await testingScriptsFor(machine));
  if (machine.status === S.DISK_ERASING) {
    const options = readJsonObject(machine.erase_options);
    return buildScriptsBundle([
      wipeDisksScript({
        secure: options.secure_erase === true,
        quick: options.quick_erase === true,
      }),
    ]);
  }
  return buildScriptsBundle(await loadBuiltinScripts());
}

/** `<v>/install-config`: the shell form kiln-install reads (docs/installer.md). */
export async function serveInstallConfig(
  region: MachineContext,
  machine: MachineRow,
  base: string,
): Promise<Served> {
  if (machine.status !== S.DEPLOYING) return notFoundBody('No install in progress.');
  const creds = await ensureNodeToken(region.db, machine.id);
  const config = await machineInstallConfig(region, machine, base, creds);
  return {
    status: 200,
    type: 'text/plain; charset=utf-8',
    body: encodeInstallConfigForShell(config),
  };
}
