import { API_ERRORS } from './api-errors.js';
import { AUTH_ERRORS } from './auth-errors.js';
import { BOOT_FILE_ERRORS } from './boot-file-errors.js';
import { BOOT_SOURCE_ERRORS } from './boot-source-errors.js';
import { CLI_ERRORS } from './cli-errors.js';
import { CONFIG_ERRORS } from './config-errors.js';
import type { ErrorSpec } from './error-spec.js';
import { IMAGE_ERRORS } from './image-errors.js';
import { MAAS_MIGRATION_ERRORS } from './maas-migration-errors.js';
import { MACHINE_ERRORS } from './machine-errors.js';
import { NETWORK_OBJECT_ERRORS } from './network-object-errors.js';
import { METADATA_ERRORS } from './metadata-errors.js';
import { PLUMBING_ERRORS } from './plumbing-errors.js';
import { POWER_ERRORS } from './power-errors.js';
import { RACK_ERRORS } from './rack-errors.js';
import { REGION_ERRORS } from './region-errors.js';
import { STREAM_ERRORS } from './stream-errors.js';

/**
 * The registry's groups, in the order of docs/errors.md's sections. Kept apart so the catalogue
 * test can see a code registered twice (a spread would silently keep the last).
 */
export const ERROR_GROUPS = [
  API_ERRORS,
  AUTH_ERRORS,
  BOOT_SOURCE_ERRORS,
  CONFIG_ERRORS,
  MACHINE_ERRORS,
  POWER_ERRORS,
  METADATA_ERRORS,
  IMAGE_ERRORS,
  STREAM_ERRORS,
  BOOT_FILE_ERRORS,
  PLUMBING_ERRORS,
  CLI_ERRORS,
  RACK_ERRORS,
  REGION_ERRORS,
  MAAS_MIGRATION_ERRORS,
  NETWORK_OBJECT_ERRORS,
] as const;

/** Every error code Kiln raises → its HTTP status and meaning. docs/errors.md documents it. */
export const ERROR_REGISTRY = {
  ...API_ERRORS,
  ...AUTH_ERRORS,
  ...BOOT_SOURCE_ERRORS,
  ...CONFIG_ERRORS,
  ...MACHINE_ERRORS,
  ...POWER_ERRORS,
  ...METADATA_ERRORS,
  ...IMAGE_ERRORS,
  ...STREAM_ERRORS,
  ...BOOT_FILE_ERRORS,
  ...PLUMBING_ERRORS,
  ...NETWORK_OBJECT_ERRORS,
  ...CLI_ERRORS,
  ...RACK_ERRORS,
  ...REGION_ERRORS,
  ...MAAS_MIGRATION_ERRORS,
} as const satisfies Record<string, ErrorSpec>;

type Registry = typeof ERROR_REGISTRY;

export type ErrorCode = keyof Registry;

/** Codes whose status is relayed from another server rather than fixed. */
export type RelayedStatusCode = {
  [C in ErrorCode]: Registry[C]['status'] extends 'varies' ? C : never;
}[ErrorCode];

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_REGISTRY, value);
}

/** The registered status of `code`; for a relayed code, `relayed` (500 when there is none). */
export function errorStatus(code: ErrorCode, relayed?: number): number {
  const { status } = ERROR_REGISTRY[code] as ErrorSpec;
  return status === 'varies' ? (relayed ?? 500) : status;
}
