import type { HandlerDeclaration } from '../../api/index.js';
import { json } from '../../api/index.js';
import { validationError } from '../../domain-errors.js';
import { readJsonObject } from '../../db/index.js';
import { allocateMachine } from '../allocation/allocate.js';
import { createMachine } from '../lifecycle/create-machine.js';
import { requireAdmin } from '../lifecycle/owner-rules.js';
import { machineJson } from '../repository/machine-json.js';
import { loadMachineView, loadMachineViews } from '../repository/machine-view.js';
import { listMachines, machineByMac } from '../repository/machines-repository.js';
import { normaliseMac } from '../repository/names.js';
import { powerParametersFromForm } from '../power/index.js';
import { BULK_MACHINE_OPS } from './bulk-ops.js';
import { formFields, requireUser } from './request-helpers.js';
import type { MachineContext } from '../machine-context.js';

const list = (name: string, doc: string) => ({ name, kind: 'list' as const, doc });
const str = (name: string, doc: string, required = false) => ({
  name,
  kind: 'string' as const,
  doc,
  required,
});

function macs(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  return values.map((v) => {
    const mac = normaliseMac(v);
    if (mac === null)
      throw validationError({ mac_address: [`'${v}' is not a valid MAC address.`] });
    return mac;
  });
}

export const machinesHandler: HandlerDeclaration<MachineContext> = {
  name: 'MachinesHandler',
  doc: 'Manage the collection of all the machines in the MAAS.',
  path: 'machines/',
  access: 'anon',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List Nodes visible to the user\n\nList nodes visible to the user, optionally filtered by criteria.',
      fields: [
        list('hostname', 'Only nodes relating to the node with the matching hostname.'),
        list('mac_address', 'Only nodes relating to the node owning the specified MAC address.'),
        list('id', 'Only nodes relating to the nodes with matching system ids.'),
        list('status', 'Only nodes with the given status (name or code).'),
        list('zone', 'Only nodes in the given zone.'),
        list('pool', 'Only nodes in the given resource pool.'),
        list('tags', 'Only nodes with all of the given tags.'),
      ],
      run: async ({ request, input, region }) => {
        requireUser(request);
        const rows = await listMachines(region.db, {
          hostnames: input.list('hostname'),
          macs: macs(input.list('mac_address')),
          systemIds: input.list('id'),
          statuses: input.list('status'),
          zones: input.list('zone'),
          pools: input.list('pool'),
          tags: input.list('tags'),
        });
        return json((await loadMachineViews(region.db, rows)).map(machineJson));
      },
    },
    {
      method: 'POST',
      op: null,
      doc: 'Create a new machine\n\nAdd a machine (administrators), or enlist one anonymously from its ephemeral environment.',
      fields: [
        str(
          'architecture',
          'A string containing the architecture type of the machine (e.g. amd64/generic).',
          true,
        ),
        {
          name: 'mac_addresses',
          kind: 'list',
          required: true,
          doc: 'One or more MAC addresses for the machine.',
        },
        str('hostname', 'A hostname. If not given, one will be generated.'),
        str('description', 'A optional description.'),
        str('power_type', 'A power management type, if applicable (e.g. "manual", "ipmi").'),
        str('zone', 'Name of a valid physical zone in which to place this machine.'),
        str('pool', 'The resource pool to which the machine should belong.'),
        {
          name: 'commission',
          kind: 'bool',
          doc: 'Request the newly created machine to be commissioned.',
        },
      ],
      run: async ({ request, input, region }) => {
        if (request.user !== null) requireAdmin(request.user);
        const power = powerParametersFromForm(formFields(request.form));
        const machine = await createMachine(region, {
          architecture: input.string('architecture') ?? '',
          macAddresses: input.list('mac_addresses') ?? [],
          hostname: input.string('hostname'),
          description: input.string('description'),
          powerType: input.string('power_type'),
          powerParameters: power.params,
          skipPowerCheck: power.skipCheck,
          zone: input.string('zone'),
          pool: input.string('pool'),
          enlisting: request.user === null,
          username: request.user?.username ?? null,
        });
        return json(machineJson(await loadMachineView(region.db, machine)));
      },
    },
    {
      method: 'POST',
      op: 'allocate',
      doc: 'Allocate a machine\n\nAllocates an available machine for deployment. Constraints narrow the choice.',
      fields: [
        str('name', 'Hostname or FQDN of the desired machine.'),
        str('system_id', 'system_id of the desired machine.'),
        list('arch', 'Architecture of the returned machine (e.g. "amd64", "amd64/generic").'),
        { name: 'cpu_count', kind: 'int', min: 0, doc: 'The minimum number of CPUs.' },
        { name: 'mem', kind: 'int', min: 0, doc: 'The minimum amount of memory (MiB).' },
        list('tags', 'Tags the machine must match.'),
        list('not_tags', 'Tags the machine must NOT match.'),
        str('zone', 'Physical zone name the machine must be located in.'),
        list('not_in_zone', 'List of physical zones from which the machine must not be acquired.'),
        str('pool', 'Resource pool name the machine must belong to.'),
        list('not_in_pool', 'List of resource pool from which the machine must not be acquired.'),
        str('agent_name', 'An optional agent name to attach to the acquired machine.'),
        str('comment', 'Comment for the event log.'),
        { name: 'dry_run', kind: 'bool', doc: 'Do not actually allocate the machine.' },
        { name: 'verbose', kind: 'bool', doc: 'Accepted for compatibility.' },
      ],
      run: async ({ request, input, region }) => {
        const user = requireUser(request);
        const constraints = {
          name: input.string('name'),
          systemId: input.string('system_id'),
          arch: input.list('arch'),
          cpuCount: input.int('cpu_count'),
          mem: input.int('mem'),
          tags: input.list('tags'),
          notTags: input.list('not_tags'),
          zone: input.string('zone'),
          notInZone: input.list('not_in_zone'),
          pool: input.string('pool'),
          notInPool: input.list('not_in_pool'),
        };
        const machine = await allocateMachine(region, constraints, {
          username: user.username,
          agentName: input.string('agent_name'),
          comment: input.string('comment'),
          dryRun: input.bool('dry_run'),
        });
        const body = machineJson(await loadMachineView(region.db, machine));
        return json({ ...body, constraints_by_type: {} });
      },
    },
    {
      method: 'GET',
      op: 'list_allocated',
      doc: 'List allocated\n\nList machines that were allocated to the User.',
      run: async ({ request, region }) => {
        const user = requireUser(request);
        const rows = await listMachines(region.db, { owner: user.username });
        return json((await loadMachineViews(region.db, rows)).map(machineJson));
      },
    },
    {
      method: 'GET',
      op: 'is_registered',
      doc: 'MAC address registered\n\nReturns whether or not the given MAC address is registered within this MAAS.',
      fields: [str('mac_address', 'The MAC address to be checked.', true)],
      run: async ({ input, region }) => {
        const [mac] = macs([input.string('mac_address') ?? '']) ?? [];
        return json(mac !== undefined && (await machineByMac(region.db, mac)) !== undefined);
      },
    },
    {
      method: 'GET',
      op: 'power_parameters',
      admin: true,
      doc: 'Get power parameters\n\nGet power parameters for multiple machines.',
      fields: [
        list('id', 'A system ID. To request more than one machine, provide multiple id arguments.'),
      ],
      run: async ({ input, region }) => {
        const rows = await listMachines(region.db, { systemIds: input.list('id') });
        return json(
          Object.fromEntries(rows.map((m) => [m.system_id, readJsonObject(m.power_parameters)])),
        );
      },
    },
    ...BULK_MACHINE_OPS,
  ],
};
