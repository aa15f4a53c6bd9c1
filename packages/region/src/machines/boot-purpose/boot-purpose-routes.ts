import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '@kiln/node-kit';
import { BootRequestSchema } from '@kiln/protocol';
import { recordEvent } from '../../events/index.js';
import { checkRackSecret } from '../../region-identity/index.js';
import type { RegionContext } from '../../region-context.js';
import { machineByMac } from '../repository/machines-repository.js';
import { normaliseMac } from '../repository/names.js';
import { answerBootRequest } from './boot-purpose.js';

export const RACK_SECRET_HEADER = 'x-kiln-rack-secret';
export const BOOT_CONFIG_PATH = '/MAAS/internal/boot-config/';
export const MACHINE_EVENT_PATH = '/MAAS/internal/machine-event/';

const RackEventSchema = z.object({
  mac: z.string(),
  type: z.string().min(1).max(100),
  description: z.string().max(2000).default(''),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new AppError(
      'MACHINE_BOOT_REQUEST_INVALID',
      `Invalid request: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return result.data;
}

/**
 * Rack-facing endpoints (not part of the MAAS API): the boot purpose for a MAC/arch, and events
 * the rack observes about a machine (kernel/initrd fetched). Racks authenticate with the shared
 * rack secret in `X-Kiln-Rack-Secret`.
 */
export function registerBootPurposeRoutes(app: FastifyInstance, region: RegionContext): void {
  // Errors (a wrong secret included) reach the app's error handler.
  const rackOnly = {
    preHandler: async (request: FastifyRequest) =>
      checkRackSecret(region.db, request.headers[RACK_SECRET_HEADER]),
  };
  app.post(BOOT_CONFIG_PATH, rackOnly, async (request, reply) => {
    const answer = await answerBootRequest(region, parse(BootRequestSchema, request.body));
    if (answer === null) return reply.code(204).send();
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer));
  });
  app.post(MACHINE_EVENT_PATH, rackOnly, async (request, reply) => {
    const event = parse(RackEventSchema, request.body);
    const mac = normaliseMac(event.mac);
    const machine = mac === null ? undefined : await machineByMac(region.db, mac);
    if (machine === undefined)
      throw new AppError('MACHINE_NOT_FOUND', `No machine has MAC ${event.mac}.`);
    await recordEvent(region.db, {
      type: event.type,
      description: event.description,
      nodeSystemId: machine.system_id,
      nodeHostname: machine.hostname,
    });
    return reply.code(204).send();
  });
}
