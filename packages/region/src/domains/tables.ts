import type { Generated, Selectable } from 'kysely';

export interface DomainsTable {
  id: Generated<number>;
  name: string;
  authoritative: Generated<number>;
  ttl: number | null;
  created: string;
}

export type DomainRow = Selectable<DomainsTable>;

declare module '../db/schema.js' {
  interface Database {
    domains: DomainsTable;
  }
}
