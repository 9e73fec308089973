import type { Command } from "commander";
import { relative } from "node:path";
import pc from "picocolors";
import { planFromConfig } from "../../../loaders/load-config.ts";
import type { LoadPlan } from "../../../loaders/load-plan.ts";
import { loadIntoWarehouse } from "../../../loaders/load-warehouse.ts";
import type { AuditRow, LoadProgress } from "../../../loaders/load.ts";
import { planFromFolder } from "../../../loaders/source-folder.ts";
import { loadLensConfig } from "../../config/lens-config.ts";
import { openWarehouse } from "../../warehouse/open.ts";
import { queryRows } from "../../warehouse/query.ts";
import { warehouseOption } from "../options.ts";
import { progress, type Progress } from "../progress.ts";

/** `lens load`: bring source files (or database tables) into the warehouse's raw tables. */
export function register(program: Command): void {
  warehouseOption(
    program
      .command("load")
      .description("Load source files or database tables into the warehouse, checking every row against its contract")
      .option("-s, --source <dir>", "folder with one file per entity: <entity>.csv, .csv.gz, .parquet, .jsonl or .ndjson")
      .option("-c, --config <file>", "JSON load config mapping entities to files, globs or database queries (docs/loading.md)")
      .addHelpText(
        "after",
        "\nRows that break their contract go to load_quarantine (file, line, column, value, reason); every file's counts go to" +
          "\nload_audit (rows read = loaded + quarantined + duplicates dropped). A missing file or column, an unreadable encoding" +
          "\nor an unreachable database stops the load and leaves the warehouse as it was." +
          "\n\nExamples:\n  lens load --source data/demo\n  lens load --config loaders/examples/cdnow.json --warehouse data/cdnow.duckdb" +
          "\n  lens query \"select file, line, \\\"column\\\", value, reason from load_quarantine order by file, line\"",
      ),
  ).action(async (opts: { source?: string; config?: string; warehouse: string }) => {
    if (!opts.source === !opts.config) throw new Error("give either --source DIR or --config FILE (see lens load --help)");
    const plan: LoadPlan = opts.source ? planFromFolder(opts.source) : planFromConfig(opts.config!);
    for (const w of plan.warnings) process.stderr.write(`${pc.yellow("warning")} ${w}\n`);
    if (plan.entities.length === 0) process.stderr.write(`${pc.yellow("warning")} no entity files found; only empty raw tables are created\n`);
    const started = performance.now();
    const bars = new Map<string, Progress>();
    const onProgress = (p: LoadProgress) => {
      let bar = bars.get(p.input);
      if (!bar) {
        bar = progress(`${p.entity.padEnd(20)} ${shortPath(p.input)}`, p.steps);
        bars.set(p.input, bar);
        return;
      }
      bar.tick();
      if (p.phase === "done") bar.done();
    };
    const summary = await loadIntoWarehouse(opts.warehouse, plan, { onProgress, memoryLimit: loadLensConfig().memory_limit });
    process.stdout.write(`${auditTable(summary.audit)}\n`);
    const quarantined = summary.audit.reduce((n, a) => n + a.rows_quarantined, 0);
    if (quarantined > 0) {
      const w = await openWarehouse(opts.warehouse, { readOnly: true });
      try {
        const reasons = await queryRows<{ entity: string; column: string | null; reason: string; n: number }>(
          w.db,
          `select entity, "column", regexp_replace(reason, ':.*$|; line .*$', '') as reason, count(*) as n
             from load_quarantine where load_id = $1 group by all order by n desc, entity limit 10`,
          [summary.loadId],
        );
        process.stdout.write(`\n${pc.yellow(`${quarantined} rows quarantined`)}; most common problems:\n`);
        for (const r of reasons) process.stdout.write(`  ${String(r.n).padStart(8)}  ${r.entity}.${r.column ?? "(line)"}: ${r.reason}\n`);
        process.stdout.write(
          `See them all: lens query "select file, line, \\"column\\", value, reason from load_quarantine where load_id = '${summary.loadId}' order by file, line"\n`,
        );
      } finally {
        w.close();
      }
    }
    process.stdout.write(
      `${pc.green("done")} loaded ${summary.audit.length} source${summary.audit.length === 1 ? "" : "s"} in ${((performance.now() - started) / 1000).toFixed(1)} s, ${summary.rowsChanged} raw rows new or changed → ${opts.warehouse}\n`,
    );
  });
}

function shortPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r.startsWith("..") || r === "" ? p : r;
}

/** The audit as a fixed-width table. */
export function auditTable(rows: AuditRow[]): string {
  const head = ["entity", "file", "read", "loaded", "quarantined", "duplicates"];
  const body = rows.map((r) => [r.entity, shortPath(r.file), r.rows_read, r.rows_loaded, r.rows_quarantined, r.duplicates_dropped].map(String));
  const total = ["total", "", ...[2, 3, 4, 5].map((i) => String(body.reduce((n, b) => n + Number(b[i]), 0)))];
  const all = [head, ...body, total];
  const width = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join("  ");
  return [line(head), width.map((w) => "-".repeat(w)).join("  "), ...body.map(line), width.map((w) => "-".repeat(w)).join("  "), line(total)].join("\n");
}
