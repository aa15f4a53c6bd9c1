export { powerField, type PowerContext, type PowerDriver } from './power-driver.js';
export {
  POWER_ERROR_CODES,
  isRetryablePowerError,
  powerAborted,
  powerFailure,
} from './power-errors.js';
export { validatePowerParameters } from './power-parameters.js';
export {
  createDefaultPowerRegistry,
  createPowerRegistry,
  type DefaultDriverOptions,
  type PowerRegistry,
} from './power-registry.js';
export {
  backoffDelay,
  runPowerAction,
  type BackoffOptions,
  type PowerActionResult,
  type PowerEventRecord,
  type RunPowerActionOptions,
} from './run-power-action.js';
export { manualPowerDriver, type ManualParameters } from './manual-power.js';
export {
  WEBHOOK_DEFAULT_OFF_REGEX,
  WEBHOOK_DEFAULT_ON_REGEX,
  webhookPowerDriver,
  type WebhookParameters,
} from './webhook-power.js';
export {
  createIpmiPowerDriver,
  ipmitoolSessionArgs,
  type IpmiDriverOptions,
  type IpmiParameters,
} from './ipmi-power.js';
export { redfishPowerDriver, type RedfishParameters } from './redfish-power.js';
export {
  createQemuPowerDriver,
  qemuRunStateToPower,
  type QemuDriverOptions,
  type QemuParameters,
} from './qemu-power.js';
export { QmpSession } from './qmp-session.js';
export {
  powerParametersFromForm,
  type FormFields,
  type PowerParametersInput,
} from './power-form.js';
