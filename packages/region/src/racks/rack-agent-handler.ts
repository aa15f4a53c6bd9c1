import type { FieldSpec } from '../api/fields.js';
import type { HandlerDeclaration } from '../api/handler-types.js';
import { json } from '../api/responses.js';
import { recordEvent } from '../events/index.js';
import { buildDhcpState } from './dhcp-state.js';
import { networkVersion } from './network-json.js';
import { HEARTBEAT_INTERVAL_SECONDS } from './rack-json.js';
import { parseRackReport, rackBySystemId, upsertRack } from './rack-repository.js';
import { checkRackSecret } from '../region-identity/index.js';

const SECRET: FieldSpec = {
  name: 'secret',
  kind: 'string',
  required: true,
  doc: 'The shared rack secret (`kiln secret`).',
};
const REPORT: FieldSpec = {
  name: 'report',
  kind: 'string',
  required: true,
  doc: 'JSON: {system_id, hostname, architecture, version, interfaces, services}.',
};

/**
 * Rack-facing endpoints (hidden from describe/): racks authenticate with the shared secret,
 * sent in the POST body so it never lands in an access log's query string. Registration and
 * heartbeat are one upsert, so a region that lost the row (or a fresh database) recovers.
 */
export const rackAgentHandler: HandlerDeclaration = {
  name: 'RackAgentHandler',
  doc: 'Rack agent registration, heartbeats and DHCP state (internal).',
  path: 'rack-agent/',
  access: 'anon',
  hidden: true,
  actions: [
    {
      method: 'POST',
      op: 'register',
      doc: 'Register a rack agent\n\nCreates or refreshes the rack controller and says how often to heartbeat.',
      fields: [SECRET, REPORT],
      run: async ({ region, input, request }) => {
        await checkRackSecret(region.db, input.string('secret'));
        const report = parseRackReport(input.string('report'));
        const known = await region.db
          .selectFrom('rack_controllers')
          .select('id')
          .where('system_id', '=', report.system_id)
          .executeTakeFirst();
        const rack = await upsertRack(region.db, report);
        if (known === undefined) {
          await recordEvent(region.db, {
            type: 'Rack controller registered',
            description: `Rack ${rack.hostname} (${rack.system_id}) registered`,
            level: 'INFO',
          });
          request.log.info(
            { systemId: rack.system_id, hostname: rack.hostname },
            'rack registered',
          );
        }
        return json({
          system_id: rack.system_id,
          hostname: rack.hostname,
          heartbeat_interval: HEARTBEAT_INTERVAL_SECONDS,
          region_id: region.regionId,
          network_version: await networkVersion(region.db),
        });
      },
    },
    {
      method: 'POST',
      op: 'heartbeat',
      doc: 'Rack heartbeat\n\nRecords that the rack is alive and what its services are doing.',
      fields: [SECRET, REPORT],
      run: async ({ region, input }) => {
        await checkRackSecret(region.db, input.string('secret'));
        const rack = await upsertRack(region.db, parseRackReport(input.string('report')));
        return json({
          system_id: rack.system_id,
          network_version: await networkVersion(region.db),
        });
      },
    },
    {
      method: 'POST',
      op: 'dhcp_state',
      doc: 'DHCP state for a rack\n\nSubnets, VLANs, IP ranges and a reservation per known machine MAC.',
      fields: [SECRET, { name: 'system_id', kind: 'string', required: true, doc: 'The rack.' }],
      run: async ({ region, input }) => {
        await checkRackSecret(region.db, input.string('secret'));
        await rackBySystemId(region.db, input.string('system_id') ?? '');
        return json(await buildDhcpState(region.db));
      },
    },
  ],
};
