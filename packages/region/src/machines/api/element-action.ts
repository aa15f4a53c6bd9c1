import type { MachineContext } from '../machine-context.js';
import type { ActionDeclaration } from '../../api/index.js';
import { json } from '../../api/index.js';
import { machineJson } from '../repository/machine-json.js';
import { loadMachineView } from '../repository/machine-view.js';
import { getMachine } from '../repository/machines-repository.js';
import { requireUser } from './request-helpers.js';

export const comment = {
  name: 'comment',
  kind: 'string' as const,
  doc: 'Optional comment for the event log.',
};

export type Run = ActionDeclaration<MachineContext>['run'];
/** Every element action loads the machine named in the URL first (404 when unknown). */
export const withMachine =
  (
    body: (
      machine: Awaited<ReturnType<typeof getMachine>>,
      ...rest: Parameters<Run>
    ) => ReturnType<Run>,
  ): Run =>
  async (ctx) => {
    requireUser(ctx.request);
    return body(await getMachine(ctx.region.db, ctx.request.params.system_id ?? ''), ctx);
  };

export const machineResult = async (ctx: Parameters<Run>[0], systemId: string) =>
  json(
    machineJson(await loadMachineView(ctx.region.db, await getMachine(ctx.region.db, systemId))),
  );
