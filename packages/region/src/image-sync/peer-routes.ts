import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { isSha256, serveStoreFile, type ImageStore } from '../images/index.js';
import { verifyPeerRequest } from './peer-auth.js';

export const PEER_FILES_PATH = '/MAAS/region-peer/files/';

export interface PeerRouteDeps {
  readonly db: Kysely<Database>;
  readonly store: ImageStore;
  readonly regionId: string;
  readonly secret: () => Promise<string>;
  /** Copies this region serves at once; more get 503 and go elsewhere or wait. */
  readonly outboundCap: number;
}

/**
 * `GET /MAAS/region-peer/files/<sha256>` for other regions only (signed with the peer secret):
 * a file this region's records say it holds completely, with Range. Partial files have no
 * name here, so they can never be a source; a file recorded but missing from disk is a 404.
 */
export function registerPeerRoutes(
  app: FastifyInstance,
  deps: PeerRouteDeps,
): { active(): number } {
  let active = 0;
  app.route({
    method: ['GET', 'HEAD'],
    url: `${PEER_FILES_PATH}*`,
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      const sha = (request.params as { '*': string })['*'];
      const path = request.url.split('?')[0] ?? '';
      const from = verifyPeerRequest(await deps.secret(), request.headers.authorization, path);
      if (from === null)
        return reply.code(401).type('text/plain; charset=utf-8').send('Region signature required');
      if (!isSha256(sha))
        return reply.code(404).type('text/plain; charset=utf-8').send(`Not a sha256: ${sha}`);
      const held = await deps.db
        .selectFrom('boot_resource_file_syncs as s')
        .innerJoin('boot_resource_files as f', 'f.id', 's.file_id')
        .select('f.size')
        .where('f.sha256', '=', sha)
        .where('s.region_id', '=', deps.regionId)
        .whereRef('s.size', '>=', 'f.size')
        .executeTakeFirst();
      if (held === undefined || (await deps.store.storedSize(sha)) !== held.size)
        return reply.code(404).type('text/plain; charset=utf-8').send(`Not held here: ${sha}`);
      if (active >= deps.outboundCap)
        return reply
          .code(503)
          .header('retry-after', '2')
          .type('text/plain; charset=utf-8')
          .send(`Region ${deps.regionId} is already serving ${active} copies`);
      active += 1;
      reply.raw.once('close', () => {
        active -= 1;
      });
      return serveStoreFile(deps.store, request, reply);
    },
  });
  return { active: () => active };
}
