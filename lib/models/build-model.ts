import type { DuckDBConnection } from "@duckdb/node-api";
import { resolve } from "node:path";
import type { LensConfig } from "../config/lens-config.ts";
import { lineAt } from "./dependencies.ts";
import type { Model } from "./model.ts";

/** A model that failed to build: DuckDB's message, the file and, when DuckDB points at one, the line. */
export class ModelBuildError extends Error {
  constructor(
    readonly model: string,
    readonly file: string,
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${reason}`);
    this.name = "ModelBuildError";
  }
}

/** Build one model into `db`, replacing whatever object has its name. Returns its row count (tables only). */
export async function buildModel(db: DuckDBConnection, m: Model, config: LensConfig): Promise<number | undefined> {
  await dropObject(db, m.name);
  return createModel(db, m, config, m.name, m.materialized === "view" ? "view" : "table");
}

/**
 * Create model `m` as the object `name` (its own name, or a staging name while `lens build` runs) of the
 * given kind; nothing of that name may exist. Returns the row count of a table, undefined for a view.
 */
export async function createModel(
  db: DuckDBConnection,
  m: Model,
  config: LensConfig,
  name: string,
  kind: "table" | "view" | "temp view",
): Promise<number | undefined> {
  if (m.kind === "ts") {
    try {
      await m.ts!.build(db, { name, model: m.name, config });
    } catch (error) {
      throw new ModelBuildError(m.name, m.file, stackLine(error, m.file), (error as Error).message);
    }
    if ((await objectType(db, name)) === undefined) {
      throw new ModelBuildError(m.name, m.file, undefined, `the TS model finished without creating table ${name}`);
    }
  } else {
    // The select follows on the same line, so DuckDB's "LINE n" is line n of the file.
    try {
      await db.run(`create ${kind} "${name}" as ${m.sql}`);
    } catch (error) {
      const message = (error as Error).message;
      throw new ModelBuildError(m.name, m.file, errorLine(message, m.sql), message);
    }
  }
  if (kind !== "table") return undefined;
  const reader = await db.runAndReadAll(`select count(*) from "${name}"`);
  return Number(reader.getRows()[0][0]);
}

/** The line DuckDB's message points at ("LINE 7:"), or the line of a `position` it reports. */
export function errorLine(message: string, sql: string): number | undefined {
  const m = /\bLINE (\d+):/.exec(message);
  if (m) return Number(m[1]);
  const p = /position[": ]+(\d+)/i.exec(message);
  return p ? lineAt(sql, Number(p[1])) : undefined;
}

/** The line of `file` in an error's stack (a TS model's own code), if it is there. */
export function stackLine(error: unknown, file: string): number | undefined {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const path = resolve(file);
  for (const line of stack.split("\n")) {
    const i = line.indexOf(path);
    if (i < 0) continue;
    const m = /^:(\d+):\d+/.exec(line.slice(i + path.length));
    if (m) return Number(m[1]);
  }
  return undefined;
}

/** "VIEW", "BASE TABLE" or undefined when nothing in `main` has the name. */
export async function objectType(db: DuckDBConnection, name: string): Promise<string | undefined> {
  const reader = await db.runAndReadAll(
    "select table_type from information_schema.tables where table_catalog = current_database() and table_schema = 'main' and table_name = $1",
    [name],
  );
  const t = reader.getRows()[0]?.[0];
  return t === undefined ? undefined : String(t);
}

// A model can change from view to table (or back), and create-or-replace cannot switch kinds.
export async function dropObject(db: DuckDBConnection, name: string): Promise<void> {
  const t = await objectType(db, name);
  if (t === "VIEW") await db.run(`drop view "${name}"`);
  else if (t !== undefined) await db.run(`drop table "${name}"`);
}
