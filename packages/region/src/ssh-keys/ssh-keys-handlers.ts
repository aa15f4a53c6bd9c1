import { AppError } from '@kiln/node-kit';
import type { Kysely } from 'kysely';
import { API_PREFIX, deleted, json, notFound, validationError } from '../api/index.js';
import type { ApiRequest, HandlerDeclaration } from '../api/index.js';
import { nowIso, type Database } from '../db/index.js';
import { isRowId } from '../domain-errors.js';
import type { SshKeyRow } from './tables.js';

type Db = Kysely<Database>;

const KEY_TYPES = new Set([
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);

/**
 * An OpenSSH public key line: type, base64 blob whose first field repeats the type, optional
 * comment. Checked by decoding the blob, so a truncated paste is refused rather than stored.
 */
export function normaliseSshKey(text: string): string | null {
  const [type = '', blob = '', ...comment] = text.trim().split(/\s+/);
  if (!KEY_TYPES.has(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return null;
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < 4) return null;
  const length = bytes.readUInt32BE(0);
  if (bytes.subarray(4, 4 + length).toString('latin1') !== type) return null;
  return [type, blob, ...comment].join(' ');
}

function userOf(request: ApiRequest): string {
  if (request.user === null) throw new AppError('AUTH_REQUIRED', 'Forbidden');
  return request.user.username;
}

function keyJson(row: SshKeyRow) {
  return {
    id: row.id,
    key: row.key,
    keysource: null,
    resource_uri: `${API_PREFIX}account/prefs/sshkeys/${String(row.id)}/`,
  };
}

async function keyOf(db: Db, username: string, key: string): Promise<SshKeyRow> {
  const id = Number(key);
  const row = isRowId(id)
    ? await db
        .selectFrom('ssh_keys')
        .selectAll()
        .where('id', '=', id)
        .where('username', '=', username)
        .executeTakeFirst()
    : undefined;
  if (row === undefined) throw notFound('SSH_KEY_NOT_FOUND', 'SSHKey');
  return row;
}

/** The public keys of a user, one per line, as the metadata `public-keys` item serves them. */
export async function userPublicKeys(db: Db, username: string): Promise<string[]> {
  const rows = await db
    .selectFrom('ssh_keys')
    .select('key')
    .where('username', '=', username)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.key);
}

export const sshKeysHandler: HandlerDeclaration = {
  name: 'SSHKeysHandler',
  doc: 'Manage the SSH keys of the logged-in user.',
  path: 'account/prefs/sshkeys/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: "List SSH keys\n\nThe logged-in user's keys.",
      run: async ({ region, request }) => {
        const rows = await region.db
          .selectFrom('ssh_keys')
          .selectAll()
          .where('username', '=', userOf(request))
          .orderBy('id')
          .execute();
        return json(rows.map(keyJson));
      },
    },
    {
      method: 'POST',
      op: null,
      doc: 'Add a new SSH key\n\nDeployed machines of this user receive it (metadata public-keys).',
      fields: [
        { name: 'key', kind: 'string', required: true, doc: 'A public SSH key (OpenSSH format).' },
      ],
      run: async ({ region, request, input }) => {
        const username = userOf(request);
        const key = normaliseSshKey(input.string('key') ?? '');
        if (key === null)
          throw validationError({
            key: ['Invalid SSH public key: expected "<type> <base64 key> [comment]".'],
          });
        const row = await region.db
          .insertInto('ssh_keys')
          .values({ username, key, created: nowIso() })
          .returningAll()
          .executeTakeFirstOrThrow();
        return json(keyJson(row), 201);
      },
    },
  ],
};

export const sshKeyHandler: HandlerDeclaration = {
  name: 'SSHKeyHandler',
  doc: 'Manage an SSH key.',
  path: 'account/prefs/sshkeys/{id}/',
  access: 'auth',
  actions: [
    {
      method: 'GET',
      op: null,
      doc: 'Retrieve an SSH key',
      run: async ({ region, request }) =>
        json(keyJson(await keyOf(region.db, userOf(request), request.params['id'] ?? ''))),
    },
    {
      method: 'DELETE',
      op: null,
      doc: 'Delete an SSH key',
      run: async ({ region, request }) => {
        const row = await keyOf(region.db, userOf(request), request.params['id'] ?? '');
        await region.db.deleteFrom('ssh_keys').where('id', '=', row.id).execute();
        return deleted();
      },
    },
  ],
};
