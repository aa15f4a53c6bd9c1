import { AppError } from '@kiln/node-kit';
import type { ActionDeclaration, HandlerDeclaration, HttpMethod } from './handler-types.js';

/** Picks the action for (method, op) as MAAS's OperationsHandlerMixin does. */
export function selectAction(
  handler: HandlerDeclaration,
  method: HttpMethod,
  op: string | null,
): ActionDeclaration {
  const action = handler.actions.find((a) => a.method === method && a.op === op);
  if (action !== undefined) return action;
  if (op === null && !handler.actions.some((a) => a.method === method)) {
    const allowed = [...new Set(handler.actions.map((a) => a.method))].join(', ');
    throw new AppError(
      'API_METHOD_NOT_ALLOWED',
      `Method not allowed: ${method}. Allowed: ${allowed}`,
      {
        details: { allow: allowed },
      },
    );
  }
  throw new AppError(
    'API_UNRECOGNISED_SIGNATURE',
    `Unrecognised signature: method=${method} op=${op ?? 'None'}`,
  );
}
