import { AppError } from '@kiln/node-kit';
import { rackBaseUrl } from '@kiln/protocol';
import type { ApiRequest } from '../../api/handler-types.js';
import type { Form } from '../../api/form.js';
import type { UserRow } from '../../users/index.js';
import type { FormFields } from '../power/index.js';
import type { MachineRow } from '../repository/tables.js';

/** Machine resources answer anonymous enlistment, so every other action checks for a user. */
export function requireUser(request: ApiRequest): UserRow {
  if (request.user === null) throw new AppError('AUTH_REQUIRED', 'Forbidden');
  return request.user;
}

/** The raw form as power-parameter parsing takes it (repeated keys become arrays). */
export function formFields(form: Form): FormFields {
  const out: Record<string, string | string[]> = {};
  for (const name of form.names()) {
    const values = form.all(name).map((v) => (typeof v === 'string' ? v : v.data.toString('utf8')));
    out[name] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return out;
}

/**
 * Where the machine's installer reaches images and metadata: the rack it last booted from, else
 * the host the API was called on, at the rack's HTTP port (a single-host `kiln start`).
 */
export function rackUrlFor(machine: MachineRow, origin: string): string {
  if (machine.boot_rack_address !== null) {
    return rackBaseUrl(machine.boot_rack_address, machine.boot_rack_http_port ?? undefined);
  }
  const host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
  return rackBaseUrl(host);
}
