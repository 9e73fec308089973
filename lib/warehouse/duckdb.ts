import { createRequire } from "node:module";
import type * as DuckDB from "@duckdb/node-api";

// Required as CommonJS: importing the package as ESM makes Node lex every one of its CommonJS files for
// named exports, about 0.3 s of each CLI start (a no-op build should take under a second in all).
const duckdb = createRequire(import.meta.url)("@duckdb/node-api") as typeof DuckDB;

/** The @duckdb/node-api classes the project constructs or calls statically; types come from the package. */
export const { DuckDBInstance, DuckDBTypeId, listValue, LIST, VARCHAR } = duckdb;
export type DuckDBInstance = DuckDB.DuckDBInstance;
export type DuckDBTypeId = DuckDB.DuckDBTypeId;
