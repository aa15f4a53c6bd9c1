import type { Generated, Selectable } from 'kysely';

export interface SpacesTable {
  id: Generated<number>;
  name: string;
  description: Generated<string>;
  created: string;
}

export type SpaceRow = Selectable<SpacesTable>;

declare module '../db/schema.js' {
  interface Database {
    spaces: SpacesTable;
  }
}
