import type { Generated, Selectable } from 'kysely';

export interface StaticRoutesTable {
  id: Generated<number>;
  source_id: number;
  destination_id: number;
  gateway_ip: string;
  metric: Generated<number>;
  created: string;
}

export type StaticRouteRow = Selectable<StaticRoutesTable>;

declare module '../db/schema.js' {
  interface Database {
    static_routes: StaticRoutesTable;
  }
}
