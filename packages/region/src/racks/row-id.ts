import type { ErrorCode } from '@kiln/protocol';
import { isRowId, notFound } from '../domain-errors.js';

const NOT_FOUND = {
  Fabric: 'RACK_FABRIC_NOT_FOUND',
  IPRange: 'RACK_IPRANGE_NOT_FOUND',
  Subnet: 'RACK_SUBNET_NOT_FOUND',
} as const satisfies Record<string, ErrorCode>;

/** A URI id segment as a row id; anything that cannot name a row is MAAS's 404 for the model. */
export function rowId(text: string | undefined, model: keyof typeof NOT_FOUND): number {
  const id = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !isRowId(id))
    throw notFound(NOT_FOUND[model], model);
  return id;
}
