import type { HandlerDeclaration } from '../api/index.js';
import { deviceHandler, devicesHandler } from './devices-handlers.js';
import { deviceInterfacesHandler } from './device-interfaces-handler.js';

export type { DevicesTable, DeviceInterfacesTable, DeviceRow } from './tables.js';

/** devices/, devices/{system_id}/ and a device's interfaces (nodes/{system_id}/interfaces/). */
export const DEVICE_HANDLERS: readonly HandlerDeclaration[] = [
  devicesHandler,
  deviceHandler,
  deviceInterfacesHandler,
];
