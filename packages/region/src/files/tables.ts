import type { Generated, Selectable } from 'kysely';

export interface FilesTable {
  id: Generated<number>;
  filename: string;
  owner: string;
  content: Buffer;
  anon_key: string;
  created: string;
}

export type FileRow = Selectable<FilesTable>;

declare module '../db/schema.js' {
  interface Database {
    files: FilesTable;
  }
}
