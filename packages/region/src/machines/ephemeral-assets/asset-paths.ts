import { resolve } from 'node:path';

/**
 * Where the programs that run on machines live: packages/region/assets/ephemeral, the same
 * depth below the package from src/ and from dist/, so this works in tests and in a build.
 */
export const EPHEMERAL_ASSETS_DIR = resolve(import.meta.dirname, '../../../assets/ephemeral');

export const ASSET_FILES = {
  installer: 'kiln-install',
  installerSteps: 'kiln-install-steps.sh',
  installerDisk: 'kiln-install-disk.sh',
  commissioning: 'kiln-commission',
  enlistment: 'kiln-enlist',
  library: 'kiln-lib.sh',
} as const;

export const SCRIPTS_DIR_NAME = 'maas-scripts';
/** Built-in hardware tests (`machines/<id>/?op=test`), served as the scripts bundle in TESTING. */
export const TESTING_SCRIPTS_DIR_NAME = 'testing-scripts';

export function assetPath(name: string, dir = EPHEMERAL_ASSETS_DIR): string {
  return resolve(dir, name);
}
