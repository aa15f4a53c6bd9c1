import type { Generated, Selectable } from 'kysely';

export interface SshKeysTable {
  id: Generated<number>;
  username: string;
  key: string;
  created: string;
}

export type SshKeyRow = Selectable<SshKeysTable>;

declare module '../db/schema.js' {
  interface Database {
    ssh_keys: SshKeysTable;
  }
}
