import type { Kysely } from 'kysely';
import { AppError } from '@kiln/node-kit';
import type { Database } from '../db/index.js';
import { insertUser, validateNewUser, type UserRow } from './users-repository.js';

export interface AdminDetails {
  readonly username: string;
  readonly password: string;
  readonly email: string;
}

/** Creates an administrator, rejecting bad input with USER_INVALID listing every problem. */
export async function createAdmin(db: Kysely<Database>, details: AdminDetails): Promise<UserRow> {
  return db.transaction().execute(async (trx) => {
    const user = { ...details, isAdmin: true };
    const problems = await validateNewUser(trx, user);
    if (Object.keys(problems).length > 0) {
      const text = Object.entries(problems)
        .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
        .join('; ');
      throw new AppError('USER_INVALID', `Cannot create user: ${text}`, {
        details: { fields: problems },
      });
    }
    return insertUser(trx, user);
  });
}
