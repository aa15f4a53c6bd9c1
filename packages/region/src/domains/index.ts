import type { HandlerDeclaration } from '../api/index.js';
import { domainHandler, domainsHandler } from './domains-handlers.js';

export type { DomainsTable, DomainRow } from './tables.js';
export { DEFAULT_DOMAIN, domainByKey } from './domains-handlers.js';

/** domains/ and domains/{id}/ (with the default domain, maas). */
export const DOMAIN_HANDLERS: readonly HandlerDeclaration[] = [domainsHandler, domainHandler];
