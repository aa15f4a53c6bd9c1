import type { Event, EventQueryResult } from '@kiln/protocol';
import { API_PREFIX, json, type HandlerDeclaration } from '../api/index.js';
import { validationError } from '../domain-errors.js';
import { normaliseMac } from '../mac-address.js';
import { EVENT_LEVELS, levelName, type EventLevelName } from './event-levels.js';
import { queryEvents, type EventRow, type MachineMatcher } from './query-events.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MAX_LIMIT = 1000;
const DEFAULT_LIMIT = 100;

/** MAAS renders event times as `Tue, 04 Dec. 2018 18:11:31` (UTC). */
export function eventTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()] ?? ''}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()] ?? ''}. ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function eventJson(row: EventRow): Event {
  return {
    id: row.id,
    username: row.username,
    node: row.node_system_id,
    hostname: row.node_hostname,
    level: levelName(row.level),
    created: eventTime(row.created),
    type: row.type,
    description: row.description,
  };
}

/** events/, whose machine filters (MAC, zone, agent name) the machines domain resolves. */
export function eventsHandler(matchMachines: MachineMatcher): HandlerDeclaration {
  return {
    name: 'EventsHandler',
    doc: 'Retrieve filtered node events.',
    path: 'events/',
    access: 'auth',
    actions: [
      {
        method: 'GET',
        op: 'query',
        doc: 'List node events\n\nList node events, optionally filtered by various criteria via URL query parameters. Newest first.',
        fields: [
          {
            name: 'hostname',
            kind: 'list',
            doc: 'An optional hostname. Only events relating to the node with the matching hostname will be returned.',
          },
          {
            name: 'mac_address',
            kind: 'list',
            doc: 'An optional list of MAC addresses. Only events relating to the nodes owning the specified MAC addresses will be returned.',
          },
          {
            name: 'zone',
            kind: 'list',
            doc: 'An optional list of zones. Only events relating to the nodes in the zones will be returned.',
          },
          {
            name: 'agent_name',
            kind: 'string',
            doc: 'An optional agent name. Only events relating to the nodes with matching agent names will be returned.',
          },
          {
            name: 'id',
            kind: 'list',
            doc: 'An optional list of system ids. Only events relating to the nodes with matching system ids will be returned.',
          },
          {
            name: 'level',
            kind: 'string',
            choices: Object.keys(EVENT_LEVELS),
            doc: 'Desired minimum log level of returned events. Returns this level of events and greater.',
          },
          {
            name: 'limit',
            kind: 'int',
            min: 1,
            doc: `Optional number of events to return. Default ${DEFAULT_LIMIT}. Maximum: ${MAX_LIMIT}.`,
          },
          {
            name: 'before',
            kind: 'int',
            doc: 'Optional event id. Defines where to start returning older events.',
          },
          {
            name: 'after',
            kind: 'int',
            doc: 'Optional event id. Defines where to start returning newer events.',
          },
          {
            name: 'owner',
            kind: 'string',
            doc: 'If specified, filters the list to show only events owned by the specified username.',
          },
        ],
        run: async ({ input, region }) => {
          const limit = Math.min(input.int('limit') ?? DEFAULT_LIMIT, MAX_LIMIT);
          const level = input.string('level') as EventLevelName | undefined;
          const before = input.int('before');
          const after = input.int('after');
          const owner = input.string('owner');
          const agentName = input.string('agent_name');
          const macs = (input.list('mac_address') ?? []).map((given) => {
            const mac = normaliseMac(given);
            if (mac === null)
              throw validationError({ mac_address: [`'${given}' is not a valid MAC address.`] });
            return mac;
          });
          const filters: [string, readonly string[]][] = [
            ['hostname', input.list('hostname') ?? []],
            ['mac_address', macs],
            ['id', input.list('id') ?? []],
            ['zone', input.list('zone') ?? []],
            ['agent_name', agentName === undefined ? [] : [agentName]],
            ['level', level === undefined ? [] : [level]],
            ['owner', owner === undefined ? [] : [owner]],
          ];
          const zones = input.list('zone') ?? [];
          const byMachine = macs.length > 0 || zones.length > 0 || agentName !== undefined;
          const rows = await queryEvents(region.db, {
            limit,
            systemIds: input.list('id') ?? [],
            hostnames: input.list('hostname') ?? [],
            ...(byMachine
              ? {
                  machineSystemIds: await matchMachines({
                    macs,
                    zones,
                    ...(agentName === undefined ? {} : { agentName }),
                  }),
                }
              : {}),
            ...(level === undefined ? {} : { level }),
            ...(before === undefined ? {} : { before }),
            ...(after === undefined ? {} : { after }),
            ...(owner === undefined ? {} : { owner }),
          });
          // The paging links keep every filter, so following them walks the same selection.
          const params = new URLSearchParams({ op: 'query', limit: String(limit) });
          for (const [name, values] of filters) for (const v of values) params.append(name, v);
          const base = `${API_PREFIX}events/?${params.toString()}`;
          const oldest = rows[rows.length - 1]?.id;
          const newest = rows[0]?.id;
          const body: EventQueryResult = {
            count: rows.length,
            events: rows.map(eventJson),
            next_uri: oldest === undefined ? base : `${base}&before=${oldest}`,
            prev_uri: newest === undefined ? base : `${base}&after=${newest}`,
          };
          return json(body);
        },
      },
    ],
  };
}
