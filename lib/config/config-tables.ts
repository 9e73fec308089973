import type { DuckDBConnection } from "@duckdb/node-api";
import { rewriteWhenChanged } from "../warehouse/rewrite-when-changed.ts";
import { mergeTargets } from "./default-targets.ts";
import type { LensConfig, Target } from "./lens-config.ts";

/** The tables writeConfigTables writes. */
export const CONFIG_TABLES = ["config_metrics", "config_targets"] as const;

/**
 * Write the metric definitions into the warehouse as `config_metrics` (one row, one column per
 * setting) so SQL models read thresholds with a plain join instead of templating.
 *
 * With `temp`, write them as temporary tables of this connection instead, which shadow the stored ones
 * until dropped: `lens build` reads the new config that way while the stored tables stay as they were
 * until the whole build succeeds.
 */
export async function writeConfigTables(db: DuckDBConnection, config: LensConfig, { temp = false } = {}): Promise<void> {
  const targets = mergeTargets(config.targets);
  const kind = temp ? "temp table" : "table";
  const write = async () => {
    const entries = Object.entries(config.metrics);
    const cols = entries.map(([k, v]) => `$${k}::${Number.isInteger(v) ? "bigint" : "double"} as "${k}"`).join(", ");
    await db.run(`create or replace ${kind} config_metrics as select ${cols}`, Object.fromEntries(entries));
    await writeTargets(db, targets, kind);
  };
  if (temp) await write();
  else await rewriteWhenChanged(db, [...CONFIG_TABLES], [config.metrics, targets], write);
}

/**
 * Write `config_targets`: one row per KPI, the catalogue's defaults with `config.targets` laid over them
 * (same `kpi` replaces, a new one is added). kpi_scorecard reads it.
 */
async function writeTargets(db: DuckDBConnection, targets: Target[], kind: "table" | "temp table"): Promise<void> {
  await db.run(
    `create or replace ${kind} config_targets (
      kpi varchar primary key, label varchar not null, target double not null, direction varchar not null,
      unit varchar not null, period varchar not null, at_risk_margin double not null
    )`,
  );
  if (targets.length === 0) return;
  await db.run(
    `insert into config_targets values ${targets.map((_, i) => `(${Array.from({ length: 7 }, (_, c) => `$${i * 7 + c + 1}`).join(", ")})`).join(", ")}`,
    targets.flatMap((t) => [t.kpi, t.label, t.target, t.direction, t.unit, t.period, t.at_risk_margin]),
  );
}
