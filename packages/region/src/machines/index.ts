export { MACHINE_HANDLERS } from './api/index.js';
export { createMachinesModule, type MachinesModule } from './machines-module.js';
export { createMachineServices, type MachineServices } from './services.js';
export {
  databaseImageAvailability,
  fileOfType,
  ROOT_FILETYPES,
  type BootImage,
  type BootImageFile,
  type ImageAvailability,
  type ImageQuery,
} from './images/image-availability.js';
export { parseDistroSeries } from './images/distro-series.js';
export { answerBootRequest, bootPurposeOf } from './boot-purpose/boot-purpose.js';
export {
  BOOT_CONFIG_PATH,
  MACHINE_EVENT_PATH,
  RACK_SECRET_HEADER,
} from './boot-purpose/boot-purpose-routes.js';
export { sweepTimedOutMachines, startTimeoutSweeper } from './timeouts/timeout-sweeper.js';
export { allocateMachine } from './allocation/allocate.js';
export { timelineFromEvents, machineTimeline } from './timeline/machine-timeline.js';
export { matchingMachineIds } from './repository/machines-repository.js';
export {
  type BundleScript,
  type ScriptsBundle,
  buildScriptsBundle,
  loadBuiltinScripts,
  renderCommissioningUserData,
  renderEnlistUserData,
  renderInstallerUserData,
} from './ephemeral-assets/index.js';
export {
  type CommissioningInventory,
  NOT_A_DISK_PREFIXES,
  encodeInstallConfigForShell,
  parseCommissioningInventory,
} from './install-config/index.js';
export { machineInstallConfig } from './lifecycle/install-config-for.js';
export { moveMachine, touchExpiry } from './lifecycle/move-machine.js';
export { completeRelease } from './lifecycle/release-cleanup.js';
export { rescueEnvironmentReady } from './lifecycle/rescue-mode.js';
export { readTestingOptions, testingPassed, testingScriptsFor } from './lifecycle/testing.js';
export { MACHINE_DOMAIN } from './repository/machine-json.js';
export { findMachine, getMachine, updateMachine } from './repository/machines-repository.js';
export { normaliseMac } from './repository/names.js';
export { type MachineRow } from './repository/tables.js';
export { type NodeCredentials, authenticateNode, ensureNodeToken } from './tokens/node-tokens.js';
export type { MachineContext } from './machine-context.js';
export type { PowerRegistry } from './power/index.js';
export { generateSystemId } from './repository/names.js';
