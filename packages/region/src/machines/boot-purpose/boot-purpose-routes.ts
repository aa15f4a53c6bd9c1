import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '@kiln/node-kit';
import { BootRequestSchema } from '@kiln/protocol';
import { sendError } from '../../api/error-mapper.js';
import { recordEvent } from '../../events/index.js';
import { getOrCreateRackSecret } from '../../region-identity/index.js';
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

async function checkRackSecret(region: RegionContext, request: FastifyRequest): Promise<void> {
  const given = request.headers[RACK_SECRET_HEADER];
  const expected = await getOrCreateRackSecret(region.db);
  if (
    typeof given !== 'string' ||
    given.length !== expected.length ||
    !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  ) {
    throw new AppError('MACHINE_RACK_SECRET_INVALID', 'Missing or wrong X-Kiln-Rack-Secret.');
  }
}

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
  const guarded =
    (body: (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        await checkRackSecret(region, request);
        return await body(request, reply);
      } catch (error) {
        return sendError(reply, error, request.log as unknown as Logger);
      }
    };
  app.post(
    BOOT_CONFIG_PATH,
    guarded(async (request, reply) => {
      const answer = await answerBootRequest(region, parse(BootRequestSchema, request.body));
      if (answer === null) return reply.code(204).send();
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(answer));
    }),
  );
  app.post(
    MACHINE_EVENT_PATH,
    guarded(async (request, reply) => {
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
    }),
  );
}
