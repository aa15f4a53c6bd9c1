export {
  ALL_NODE_STATUSES,
  NODE_STATUS,
  NODE_STATUS_NAMES,
  NODE_TYPE,
  NODE_TYPE_NAMES,
  isNodeStatus,
  nodeStatusKey,
  nodeStatusName,
  parseNodeStatus,
  type NodeStatus,
  type NodeStatusKey,
  type NodeType,
} from './node-status.js';
export {
  INITIAL_STATUSES,
  NODE_TRANSITIONS,
  TESTING_RESET_READY_STATUSES,
  assertTransition,
  canTransition,
} from './transitions.js';
export {
  COMMISSIONING_LIKE_STATUSES,
  DEFAULT_NODE_TIMEOUT_MINUTES,
  FAILURE_STATUS_TRANSITIONS,
  FIXED_TIMEOUT_MINUTES,
  RELEASABLE_STATUSES,
  TIMEOUT_STATUS_TRANSITIONS,
  failedStatusFor,
  isFailedStatus,
  statusExpiresAt,
  timedOutStatus,
  timeoutMinutesFor,
} from './failure-statuses.js';
export {
  MACHINE_ERROR_CODES,
  MachineStateViolation,
  type MachineErrorCode,
} from './state-violation.js';
export {
  ACTION_RULES,
  MACHINE_ACTIONS,
  type ActionContext,
  type ActionRule,
  type MachineAction,
} from './actions.js';
export { availableActions, isActionAllowed, planAction, type ActionPlan } from './action-plan.js';
export { MACHINE_MESSAGES } from './messages.js';
export {
  POWER_ACTIONS,
  POWER_FIELD_TYPES,
  POWER_STATES,
  powerFieldSchema,
  powerStateResponseSchema,
  powerStateSchema,
  powerTypeDescriptionSchema,
  type PowerAction,
  type PowerField,
  type PowerState,
  type PowerTypeDescription,
} from './power.js';
export {
  MACHINE_FIELDS,
  machineSummarySchema,
  nodeStatusSchema,
  type MachineField,
  type MachineSummary,
} from './machine-schema.js';
export {
  MAAS_EVENT_TIME,
  formatEventTime,
  timelineEntrySchema,
  type EventLevel,
  type TimelineEntry,
} from './event-schema.js';
