import type { CreatedToken, TokenListEntry } from '@kiln/protocol';
import { AppError } from '@kiln/node-kit';
import type { HandlerDeclaration } from '../handler-types.js';
import { deleted, json, text } from '../responses.js';
import { findUserToken, formatApiKey, insertApiToken, listApiTokens } from '../../auth/index.js';
import type { UserRow } from '../../users/index.js';

function caller(user: UserRow | null): UserRow {
  if (user === null) throw new AppError('AUTH_REQUIRED', 'Forbidden');
  return user;
}

export const accountHandler: HandlerDeclaration = {
  name: 'AccountHandler',
  doc: "Manage the current logged-in user's API keys.",
  path: 'account/',
  access: 'auth',
  actions: [
    {
      method: 'POST',
      op: 'create_authorisation_token',
      doc: 'Create an authorisation token\n\nCreate an authorisation OAuth token and OAuth consumer.',
      fields: [
        { name: 'name', kind: 'string', doc: 'Optional name of the token that will be generated.' },
      ],
      run: async ({ request, input, region }) => {
        const token = await insertApiToken(
          region.db,
          caller(request.user).id,
          input.string('name') ?? '',
        );
        const body: CreatedToken = {
          token_key: token.token_key,
          token_secret: token.token_secret,
          consumer_key: token.consumer_key,
          name: token.name,
        };
        return json(body);
      },
    },
    {
      method: 'POST',
      op: 'delete_authorisation_token',
      doc: 'Delete an authorisation token\n\nDelete an authorisation OAuth token and the related OAuth consumer.',
      fields: [
        {
          name: 'token_key',
          kind: 'string',
          required: true,
          doc: 'The key of the token to be deleted.',
        },
      ],
      run: async ({ request, input, region }) =>
        region.db.transaction().execute(async (trx) => {
          const token = await findUserToken(
            trx,
            caller(request.user).id,
            input.string('token_key') ?? '',
          );
          await trx.deleteFrom('api_tokens').where('id', '=', token.id).execute();
          return deleted();
        }),
    },
    {
      method: 'GET',
      op: 'list_authorisation_tokens',
      doc: 'List authorisation tokens\n\nList authorisation tokens available to the currently logged-in user.',
      run: async ({ request, region }) => {
        const tokens = await listApiTokens(region.db, caller(request.user).id);
        return json(tokens.map((t): TokenListEntry => ({ name: t.name, token: formatApiKey(t) })));
      },
    },
    {
      method: 'POST',
      op: 'update_token_name',
      doc: 'Modify authorisation token\n\nModify the consumer name of an authorisation OAuth token.',
      fields: [
        {
          name: 'token',
          kind: 'string',
          required: true,
          doc: 'Can be the whole token or only the token key.',
        },
        { name: 'name', kind: 'string', required: true, doc: 'New name of the token.' },
      ],
      run: async ({ request, input, region }) =>
        region.db.transaction().execute(async (trx) => {
          const token = await findUserToken(
            trx,
            caller(request.user).id,
            input.string('token') ?? '',
          );
          await trx
            .updateTable('api_tokens')
            .set({ name: input.string('name') ?? '' })
            .where('id', '=', token.id)
            .execute();
          return text('Accepted');
        }),
    },
  ],
};
