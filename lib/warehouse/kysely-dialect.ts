import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from "kysely";
import { queryRows } from "./query.ts";

/**
 * A Kysely dialect on an open @duckdb/node-api connection. DuckDB speaks enough of PostgreSQL's
 * SQL (double-quoted identifiers, $1 parameters) that Kysely's Postgres compiler, adapter and
 * introspector serve; values are always bound as parameters. Rows come back as queryRows returns
 * them: numbers as numbers, dates and timestamps as strings (the types in schema.ts say the same).
 */
export class DuckDBDialect implements Dialect {
  constructor(private readonly db: DuckDBConnection) {}

  createDriver(): Driver {
    return new DuckDBDriver(this.db);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** One connection, handed out to one query or transaction at a time. */
class DuckDBDriver implements Driver {
  private readonly connection: DuckDBKyselyConnection;
  private queue: Promise<void> = Promise.resolve();

  constructor(db: DuckDBConnection) {
    this.connection = new DuckDBKyselyConnection(db);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // A DuckDB connection runs one statement at a time; serialise Kysely's users of it.
    let release!: () => void;
    const previous = this.queue;
    this.queue = new Promise((resolve) => (release = resolve));
    await previous;
    this.connection.release = release;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw("begin transaction"));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(): Promise<void> {
    this.connection.release?.();
  }

  // The connection belongs to whoever opened the warehouse; they close it.
  async destroy(): Promise<void> {}
}

class DuckDBKyselyConnection implements DatabaseConnection {
  release?: () => void;

  constructor(private readonly db: DuckDBConnection) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const params = compiled.parameters.map(toDuckDBValue);
    const rows = await queryRows<R>(this.db, compiled.sql, params);
    return { rows };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("the DuckDB Kysely dialect does not stream; use execute()");
  }
}

function toDuckDBValue(v: unknown): DuckDBValue {
  if (v === undefined || v === null) return null;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return v;
  throw new Error(`cannot bind ${typeof v} ${JSON.stringify(v)} as a DuckDB parameter; pass a string, number, boolean, bigint or Date`);
}
