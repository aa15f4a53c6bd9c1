import type { User } from '@kiln/protocol';
import { API_PREFIX, type HandlerDeclaration } from '../api/index.js';
import { badRequest, deleted, json, validationError } from '../api/index.js';
import {
  getUserByUsername,
  insertUser,
  listUsers,
  validateNewUser,
  type UserRow,
} from './users-repository.js';

export function userJson(user: Pick<UserRow, 'username' | 'email' | 'is_admin'>): User {
  return {
    username: user.username,
    email: user.email,
    is_superuser: user.is_admin === 1,
    is_local: true,
    resource_uri: `${API_PREFIX}users/${encodeURIComponent(user.username)}/`,
  };
}

export const usersHandler: HandlerDeclaration = {
  name: 'UsersHandler',
  doc: 'Manage the user accounts of this MAAS.',
  path: 'users/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'List users\n\nList all users of this MAAS.',
      run: async ({ region }) => json((await listUsers(region.db)).map(userJson)),
    },
    {
      method: 'GET',
      op: 'whoami',
      doc: 'Retrieve logged-in user\n\nReturns the currently logged-in user.',
      run: ({ request }) =>
        Promise.resolve(json(request.user === null ? null : userJson(request.user))),
    },
    {
      method: 'POST',
      op: null,
      admin: true,
      doc: 'Create a MAAS user account\n\nCreates a MAAS user account. This is not safe: the password is sent in the clear.',
      fields: [
        {
          name: 'username',
          kind: 'string',
          required: true,
          doc: 'Identifier-style username for the new user.',
        },
        { name: 'email', kind: 'string', required: true, doc: 'Email address for the new user.' },
        { name: 'password', kind: 'string', required: true, doc: 'Password for the new user.' },
        {
          name: 'is_superuser',
          kind: 'bool',
          required: true,
          doc: 'Whether the new user is to be an administrator.',
        },
      ],
      run: async ({ input, region }) =>
        region.db.transaction().execute(async (trx) => {
          const user = {
            username: input.string('username') ?? '',
            email: input.string('email') ?? '',
            password: input.string('password') ?? '',
            isAdmin: input.bool('is_superuser') ?? false,
          };
          const problems = await validateNewUser(trx, user);
          if (Object.keys(problems).length > 0) throw validationError(problems);
          return json(userJson(await insertUser(trx, user)), 201);
        }),
    },
  ],
};

export const userHandler: HandlerDeclaration = {
  name: 'UserHandler',
  doc: 'Manage a user account.',
  path: 'users/{username}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Retrieve a user\n\nReturns the user with the given username.',
      run: async ({ request, region }) =>
        json(userJson(await getUserByUsername(region.db, request.params.username ?? ''))),
    },
    {
      method: 'DELETE',
      op: null,
      admin: true,
      doc: 'Delete a user\n\nDeletes the given username and its API keys.',
      run: async ({ request, region }) =>
        region.db.transaction().execute(async (trx) => {
          const user = await getUserByUsername(trx, request.params.username ?? '');
          if (user.id === request.user?.id)
            throw badRequest('USER_SELF_DELETE', 'An administrator cannot self-delete.');
          await trx.deleteFrom('users').where('id', '=', user.id).execute();
          return deleted();
        }),
    },
  ],
};
