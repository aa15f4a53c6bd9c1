import { isRowId, notFound } from '../domain-errors.js';

/** A URI id segment as a row id; anything that cannot name a row is MAAS's 404 for the model. */
export function rowId(text: string | undefined, model: string): number {
  const id = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !isRowId(id))
    throw notFound(`RACK_${model.toUpperCase().replace(/[^A-Z]/g, '_')}_NOT_FOUND`, model);
  return id;
}
