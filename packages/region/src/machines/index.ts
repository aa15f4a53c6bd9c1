export { MACHINE_HANDLERS } from './api/index.js';
export { registerMachineRoutes } from './register.js';
export { configureMachineServices, machineServices, type MachineServices } from './services.js';
export {
  databaseImageAvailability,
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
export { generateSystemId } from './repository/names.js';
