import { createHash } from "node:crypto";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { LensConfig } from "../config/lens-config.ts";
import type { Model } from "./model.ts";

/** Quote a possibly schema-qualified table name (`raw_orders`, `other.t`) for SQL. */
export function quoteTable(name: string): string {
  return name
    .split(".")
    .map((p) => `"${p.replaceAll('"', '""')}"`)
    .join(".");
}

/**
 * A fingerprint of a loaded table's data: its row count and an order-independent sum of row hashes,
 * so any insert, delete or edit of a raw_* or config_* table changes the hash of the models reading it.
 */
export async function tableFingerprint(db: DuckDBConnection, table: string): Promise<string> {
  const reader = await db.runAndReadAll(
    `select count(*)::varchar || ':' || coalesce(sum(hash(t)), 0)::varchar from ${quoteTable(table)} as t`,
  );
  return String(reader.getRows()[0][0]);
}

/**
 * The content hash of a model: its file, its contract, its materialization, the hashes of the models
 * it reads (as built in the warehouse) and the fingerprints of the loaded tables it reads. Equal hash
 * means rebuilding would produce the same table.
 */
export function modelHash(
  m: Model,
  upstream: Map<string, string>,
  sources: Map<string, string>,
  config: LensConfig,
): string {
  const h = createHash("sha256");
  h.update(`kind:${m.kind}\nmaterialized:${m.materialized}\n`);
  h.update(`file:${m.text}\n`);
  h.update(`contract:${m.contractText}\n`);
  for (const d of [...m.dependsOn].sort()) h.update(`model:${d}=${upstream.get(d) ?? "unbuilt"}\n`);
  for (const s of [...m.sources].sort()) h.update(`source:${s}=${sources.get(s) ?? "missing"}\n`);
  // TS models receive the whole config, so any change to it may change their output.
  if (m.kind === "ts") h.update(`config:${JSON.stringify(config)}\n`);
  return h.digest("hex").slice(0, 16);
}
