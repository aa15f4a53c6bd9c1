import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';

type Translate = (error: unknown) => unknown;

async function guarded<T>(translate: Translate, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translate(error);
  }
}

class TranslatingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly translate: Translate,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return guarded(this.translate, () => this.inner.executeQuery<R>(query));
  }

  async *streamQuery<R>(
    query: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(query, chunkSize);
    } catch (error) {
      throw this.translate(error);
    }
  }
}

export interface TranslatingOptions {
  readonly translate: Translate;
  /**
   * SQLite ends a transaction by itself on some errors (SQLITE_FULL, SQLITE_IOERR): a ROLLBACK
   * then fails with "cannot rollback - no transaction is active" and hides the real error.
   * When this says no transaction is open, the rollback is skipped.
   */
  readonly inTransaction?: () => boolean;
}

const innerOf = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof TranslatingConnection ? connection.inner : connection;

class TranslatingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly options: TranslatingOptions,
  ) {}

  init(): Promise<void> {
    return guarded(this.options.translate, () => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await guarded(this.options.translate, () => this.inner.acquireConnection());
    return new TranslatingConnection(connection, this.options.translate);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return guarded(this.options.translate, () =>
      this.inner.beginTransaction(innerOf(connection), settings),
    );
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return guarded(this.options.translate, () => this.inner.commitTransaction(innerOf(connection)));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.options.inTransaction?.() === false) return;
    await guarded(this.options.translate, () =>
      this.inner.rollbackTransaction(innerOf(connection)),
    );
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * Wraps a kysely dialect so that every driver error passes through `translate` on its way out:
 * the database layer, not each handler, decides what a unique violation or a full disk means.
 */
export function translatingDialect(inner: Dialect, options: TranslatingOptions): Dialect {
  return {
    createDriver: () => {
      const driver = inner.createDriver();
      const wrapped = new TranslatingDriver(driver, options);
      // Savepoints are optional on Driver; pass them through only where the dialect has them.
      const savepoint = driver.savepoint?.bind(driver);
      const rollbackToSavepoint = driver.rollbackToSavepoint?.bind(driver);
      const releaseSavepoint = driver.releaseSavepoint?.bind(driver);
      return Object.assign(wrapped, {
        ...(savepoint && {
          savepoint: (
            c: DatabaseConnection,
            name: string,
            compile: Parameters<typeof savepoint>[2],
          ) => guarded(options.translate, () => savepoint(innerOf(c), name, compile)),
        }),
        ...(rollbackToSavepoint && {
          rollbackToSavepoint: (
            c: DatabaseConnection,
            name: string,
            compile: Parameters<typeof rollbackToSavepoint>[2],
          ) => guarded(options.translate, () => rollbackToSavepoint(innerOf(c), name, compile)),
        }),
        ...(releaseSavepoint && {
          releaseSavepoint: (
            c: DatabaseConnection,
            name: string,
            compile: Parameters<typeof releaseSavepoint>[2],
          ) => guarded(options.translate, () => releaseSavepoint(innerOf(c), name, compile)),
        }),
      });
    },
    createQueryCompiler: () => inner.createQueryCompiler(),
    createAdapter: () => inner.createAdapter(),
    createIntrospector: (db) => inner.createIntrospector(db),
  };
}
