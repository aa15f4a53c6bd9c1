export {
  DIALECTS,
  createTestDatabase,
  type TestDatabase,
  type TestDialect,
} from './test-database.js';
export { describeEachDialect, type DialectContext } from './describe-each-dialect.js';
export { testPgUrl } from './pg-url.js';
