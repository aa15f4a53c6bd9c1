import type { HandlerDeclaration } from '../api/handler-types.js';
import { ipRangeHandler, ipRangesHandler } from './ipranges-handlers.js';
import { rackAgentHandler } from './rack-agent-handler.js';
import { rackControllerHandler, rackControllersHandler } from './rack-controllers-handlers.js';
import {
  regionControllerHandler,
  regionControllersHandler,
} from './region-controllers-handlers.js';
import { subnetHandler, subnetsHandler } from './subnets-handlers.js';
import { fabricHandler, fabricsHandler, vlanHandler, vlansHandler } from './vlans-handlers.js';

/** Rack and region controllers, the rack-facing agent endpoints and the network model (append to ALL_HANDLERS). */
export const RACK_HANDLERS: readonly HandlerDeclaration[] = [
  rackAgentHandler,
  rackControllersHandler,
  rackControllerHandler,
  regionControllersHandler,
  regionControllerHandler,
  fabricsHandler,
  fabricHandler,
  vlansHandler,
  vlanHandler,
  subnetsHandler,
  subnetHandler,
  ipRangesHandler,
  ipRangeHandler,
];

export { buildDhcpState } from './dhcp-state.js';
export { listBootImages, type BootImageSummary } from './boot-images.js';
export { HEARTBEAT_INTERVAL_SECONDS } from './rack-json.js';
export type * from './tables.js';
export { subnetJsonById, vlanJson, vlanById, fabricById } from './network-json.js';
