import type { DuckDBConnection } from "@duckdb/node-api";
import pg from "pg";
import { LoadError } from "./load-error.ts";

/** A table or query in a PostgreSQL database (a CRM, an order system) to read like a file. */
export interface PostgresSource {
  /** libpq-style URL, e.g. postgres://user:password@host:5432/crm. Never printed: it may hold a password. */
  connection: string;
  /** `table` or `schema.table`; names are taken literally (case-sensitive), `"Quoted"` parts are accepted. */
  table?: string;
  /** A SELECT (or WITH … SELECT / VALUES); read as is, so it runs read-only. */
  query?: string;
  /** Name used in messages and lineage; defaults to the table name or "PostgreSQL query". */
  label?: string;
}

export interface ReadPostgresOptions {
  /** Rows per FETCH round trip. */
  batchSize?: number;
  /** Seconds to wait for the server before giving up. */
  connectTimeoutSeconds?: number;
  /** Called after every batch with the rows read so far (for progress bars). */
  onProgress?: (rows: number) => void;
}

/**
 * Why a PostgreSQL source could not be read: a source-level problem like a missing file, so `lens load` stops
 * and leaves the warehouse as it was. The message starts with the source's label and says what to do;
 * `kind` lets callers tell the cases apart.
 */
export class PostgresSourceError extends LoadError {
  constructor(
    readonly kind: "connection" | "authentication" | "database" | "missing-table" | "permission" | "sql" | "columns",
    source: string,
    problem: string,
  ) {
    super(source, problem);
    this.name = "PostgresSourceError";
  }
}

const BOOL_OID = 16;
const CURSOR = "lens_cursor";
const DECLARE = `declare ${CURSOR} no scroll cursor for `;
// PostgreSQL already renders every value as exact text; keep its text instead of parsing into JS numbers/dates.
const asText = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

/**
 * Read a PostgreSQL table or query into a new DuckDB temporary table `into`: every source column as VARCHAR
 * holding PostgreSQL's exact text (dates YYYY-MM-DD, timestamps YYYY-MM-DD HH:MM:SS[.ffffff][+TZ] in the
 * warehouse time zone, booleans true/false, numerics exactly, NULL as NULL) plus `_line` = 1-based row number,
 * so the rows can be checked against the contracts exactly like CSV rows.
 *
 * Rows stream through a server-side cursor inside a read-only transaction, one batch at a time.
 */
export async function readPostgres(
  db: DuckDBConnection,
  source: PostgresSource,
  into: string,
  options: ReadPostgresOptions = {},
): Promise<{ rows: number; columns: string[] }> {
  const label = source.label ?? source.table ?? "PostgreSQL query";
  if (!source.table === !source.query) {
    throw new PostgresSourceError("sql", label, `give either a table or a query for a PostgreSQL source, not ${source.table ? "both" : "neither"}`);
  }
  const sql = source.table ? `select * from ${quoteQualifiedName(source.table, label)}` : stripTrailingSemicolons(source.query!);
  const batchSize = options.batchSize ?? 10_000;
  const timeoutSeconds = options.connectTimeoutSeconds ?? 5;
  const client = newClient(source.connection, label, timeoutSeconds * 1000);
  const where = describeServer(client);
  // An idle client reports a dropped connection as an event (without a listener Node would crash); the next
  // query then only says "not queryable", so keep the real reason for the message.
  let lost: unknown;
  client.on("error", (error) => (lost ??= error));

  try {
    await client.connect();
  } catch (error) {
    throw connectError(error, label, where, client.user, timeoutSeconds);
  }

  let created = false;
  try {
    const zone = await warehouseTimeZone(db);
    await client.query("begin read only");
    await client.query("select set_config('DateStyle', 'ISO, YMD', true), set_config('TimeZone', $1, true), set_config('extra_float_digits', '1', true)", [zone]);
    try {
      await client.query(DECLARE + sql);
    } catch (error) {
      throw queryError(error, label, where, source, sql);
    }

    let rows = 0;
    let columns: string[] = [];
    let isBool: boolean[] = [];
    let appender: Awaited<ReturnType<DuckDBConnection["createAppender"]>> | undefined;
    try {
      for (;;) {
        const batch = await client.query<unknown[]>({ text: `fetch forward ${batchSize} from ${CURSOR}`, rowMode: "array", types: asText });
        if (!appender) {
          columns = batch.fields.map((f) => f.name);
          isBool = batch.fields.map((f) => f.dataTypeID === BOOL_OID);
          checkColumns(columns, label);
          const cols = [...columns.map((c) => `${quoteDuck(c)} varchar`), `"_line" bigint`];
          await db.run(`create or replace temporary table ${quoteDuck(into)} (${cols.join(", ")})`);
          created = true;
          appender = await db.createAppender(into, "main", "temp");
        }
        for (const row of batch.rows) {
          rows++;
          for (let i = 0; i < row.length; i++) {
            const value = row[i] as string | null;
            if (value === null) appender.appendNull();
            else appender.appendVarchar(isBool[i] ? (value === "t" ? "true" : value === "f" ? "false" : value) : value);
          }
          appender.appendBigInt(BigInt(rows));
          appender.endRow();
        }
        if (batch.rows.length > 0) options.onProgress?.(rows);
        if (batch.rows.length < batchSize) break;
      }
    } catch (error) {
      if (error instanceof PostgresSourceError) throw error;
      throw queryError(lost ?? error, label, where, source, sql);
    } finally {
      appender?.closeSync();
    }
    await client.query("commit");
    return { rows, columns };
  } catch (error) {
    // Nothing half-read may be left for the caller to mistake for a complete source.
    if (created) await db.run(`drop table if exists temp.main.${quoteDuck(into)}`);
    throw error instanceof LoadError ? error : queryError(lost ?? error, label, where, source, sql);
  } finally {
    await client.end().catch(() => {});
  }
}

const NAME_PART = String.raw`\s*(?:"(?:[^"]|"")+"|[^".]+)\s*`;
const QUALIFIED_NAME = new RegExp(`^(${NAME_PART})(?:\\.(${NAME_PART}))?$`);

/**
 * Quote `table` or `schema.table` as a PostgreSQL identifier. Each part is taken literally; a part may also be
 * given already double-quoted (`"CRM"."Order Lines"`).
 */
export function quoteQualifiedName(name: string, label = name): string {
  const match = QUALIFIED_NAME.exec(name);
  const parts = match ? [match[1], match[2]].filter((p) => p !== undefined).map(unquotePart) : [];
  if (parts.length === 0 || parts.some((p) => p === "")) {
    throw new PostgresSourceError("missing-table", label, `"${name}" is not a table name — write table or schema.table`);
  }
  return parts.map((p) => `"${p.replaceAll('"', '""')}"`).join(".");
}

function unquotePart(part: string): string {
  const p = part.trim();
  return p.startsWith('"') ? p.slice(1, -1).replaceAll('""', '"') : p;
}

function newClient(connection: string, label: string, timeoutMs: number): pg.Client {
  try {
    // pg would read a non-URL string as a socket path or database name and echo it (password included) later.
    if (!/^postgres(ql)?:$/.test(new URL(connection).protocol)) throw new Error("not a postgres URL");
    return new pg.Client({ connectionString: connection, connectionTimeoutMillis: timeoutMs, application_name: "loyalty-lens" });
  } catch {
    throw new PostgresSourceError(
      "connection",
      label,
      `the PostgreSQL connection string is not valid — write it as postgres://user:password@host:5432/database`,
    );
  }
}

function describeServer(client: pg.Client): string {
  const host = client.host?.startsWith("/") ? `socket ${client.host}` : `${client.host}:${client.port}`;
  return `PostgreSQL at ${host} (database ${client.database ?? client.user})`;
}

function connectError(error: unknown, label: string, where: string, user: string | undefined, timeoutSeconds: number): PostgresSourceError {
  const e = error as { code?: string; message?: string };
  const cannot = `cannot connect to ${where}`;
  const check = "check the connection string or that the server is running";
  switch (e.code) {
    case "ECONNREFUSED":
      return new PostgresSourceError("connection", label, `${cannot}: connection refused — ${check}`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new PostgresSourceError("connection", label, `${cannot}: host not found — check the host name in the connection string`);
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "ETIMEDOUT":
      return new PostgresSourceError("connection", label, `${cannot}: host unreachable — ${check}`);
    case "28P01":
      return new PostgresSourceError("authentication", label, `${where} rejected user "${user}": password authentication failed — check the user name and password in the connection string`);
    case "28000":
      return new PostgresSourceError("authentication", label, `${where} does not let user "${user}" in: ${e.message} — ask the database administrator to allow this user and host (pg_hba.conf)`);
    case "3D000":
      return new PostgresSourceError("database", label, `${where}: ${e.message} — check the database name in the connection string`);
  }
  if (/timeout/i.test(e.message ?? "")) {
    return new PostgresSourceError("connection", label, `${cannot}: no answer within ${timeoutSeconds} s — ${check}`);
  }
  return new PostgresSourceError("connection", label, `${cannot}: ${e.message ?? String(error)} — ${check}`);
}

function queryError(error: unknown, label: string, where: string, source: PostgresSource, sql: string): PostgresSourceError {
  const e = error as { code?: string; message?: string; position?: string };
  // Server errors carry a five-character SQLSTATE; without one (or with class 08/57P) the connection went away.
  if (!/^[0-9A-Z]{5}$/.test(e.code ?? "") || /^(08|57P)/.test(e.code!)) {
    return new PostgresSourceError("connection", label, `lost the connection to ${where} while reading: ${e.message ?? String(error)} — check that the server is up and run the load again`);
  }
  if (source.table && (e.code === "42P01" || e.code === "3F000")) {
    return new PostgresSourceError(
      "missing-table",
      label,
      `table ${source.table} does not exist in ${where} — check the table name in the config (table or schema.table; names are case-sensitive)`,
    );
  }
  if (e.code === "42501") {
    return new PostgresSourceError("permission", label, `${where}: ${e.message} — grant the connecting user SELECT on it`);
  }
  if (source.table) {
    return new PostgresSourceError("sql", label, `reading table ${source.table} from ${where} failed: ${e.message ?? String(error)}`);
  }
  // The server counts from the start of our DECLARE; report the position within the user's query.
  const position = Number(e.position) - DECLARE.length;
  const at = position >= 1 && position <= sql.length ? ` (at character ${position}: ${JSON.stringify(sql.slice(position - 1, position + 19))})` : "";
  const advice = e.code === "42601" && position === 1 ? "a query source must be a SELECT (or WITH … SELECT, VALUES); it runs read-only" : "fix the query in the config";
  return new PostgresSourceError("sql", label, `SQL error in the query on ${where}: ${e.message ?? String(error)}${at} — ${advice}`);
}

function checkColumns(columns: string[], label: string): void {
  const seen = new Map<string, string>();
  for (const name of columns) {
    // DuckDB column names are case-insensitive, so "ID" and "id" would collide there.
    const key = name.toLowerCase();
    if (key === "_line") {
      throw new PostgresSourceError("columns", label, `column "${name}" clashes with the row number column _line — read the source with a query that renames it (select …, _line as source_line)`);
    }
    if (seen.has(key)) {
      throw new PostgresSourceError("columns", label, `the query returns column "${name}" twice${seen.get(key) !== name ? ` (as "${seen.get(key)}" and "${name}")` : ""} — give each column its own name (select a.id as customer_id, b.id as order_id …)`);
    }
    seen.set(key, name);
  }
}

async function warehouseTimeZone(db: DuckDBConnection): Promise<string> {
  const reader = await db.runAndReadAll("select current_setting('TimeZone')");
  return String(reader.getRows()[0][0]);
}

function stripTrailingSemicolons(query: string): string {
  return query.replace(/[\s;]+$/, "");
}

function quoteDuck(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
