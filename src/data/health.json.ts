// Page data for Data health: load reconciliation (load_audit), quarantine counts by file, column and
// reason (never the quarantined values: they can be personal data), model tests (lens_test_results),
// the last build (lens_build_log), freshness, and the model lineage graph (parsed from sql/).
// These are the loader's and runner's own tables, not models, so they have no generated types and are
// read with plain SQL (values bound); int_as_of is a model and goes through the typed Kysely.
import { loadLensConfig } from "../../lib/config/lens-config.ts";
import { lineage } from "../../lib/models/lineage.ts";
import { readProject } from "../../lib/models/project.ts";
import { hasTable as has, rows, rounded, runLoader, toColumns } from "../lib/loader.ts";

/** Quarantine groups (entity × file × column × reason) shipped, most rows first; totals cover them all. */
const QUARANTINE_GROUPS = 200;
/** Loaded files shipped: those that do not reconcile first, then the latest; totals cover them all. */
const AUDIT_FILES = 100;

/** The file name without its folders (paths can name a user's home directory), or the source label. */
const FILE_NAME = `coalesce(regexp_extract(file, '[^/\\\\]+$'), source)`;

await runLoader("health", async (k, db) => {
  // A warehouse loaded by an older version (or built from fixtures) may lack the audit tables: say so on the page.
  const audit = (await has(db, "load_audit"))
    ? rounded(
        await rows(
          db,
          `select entity, ${FILE_NAME} as file, rows_read, rows_loaded, rows_quarantined, duplicates_dropped,
             rows_read = rows_loaded + rows_quarantined + duplicates_dropped as reconciles, strftime(finished_at, '%Y-%m-%d %H:%M') as loaded_at
           from load_audit qualify row_number() over (partition by entity, file, source order by finished_at desc) = 1
           order by reconciles, finished_at desc, entity, file limit ?`,
          [AUDIT_FILES],
        ),
      ).sort((a, b) => String(a.entity).localeCompare(String(b.entity)) || String(a.file).localeCompare(String(b.file)))
    : null;
  const auditTotals = (await has(db, "load_audit"))
    ? (
        await rows(
          db,
          `select count(*) as files, count(*) filter (where rows_read = rows_loaded + rows_quarantined + duplicates_dropped) as reconciling
           from (from load_audit qualify row_number() over (partition by entity, file, source order by finished_at desc) = 1)`,
        )
      )[0]
    : null;
  const quarantine = (await has(db, "load_quarantine"))
    ? await rows(
        db,
        // Reasons quote the rejected value ("not a number: '12.3.4'"), which can be personal data: the quoted
        // part is masked, so only the kind of problem shows.
        `select entity, ${FILE_NAME} as file, coalesce("column", '(row)') as "column",
           regexp_replace(reason, $$'[^']*'$$, '‹value›', 'g') as reason, count(*) as rows
         from load_quarantine group by all order by rows desc, entity, file, "column", reason limit ?`,
        [QUARANTINE_GROUPS],
      )
    : null;
  const quarantineTotals = (await has(db, "load_quarantine"))
    ? (
        await rows(
          db,
          `select coalesce(sum(rows), 0) as rows, count(*) as groups from (
             select entity, ${FILE_NAME}, coalesce("column", '(row)'), regexp_replace(reason, $$'[^']*'$$, '‹value›', 'g'), count(*) as rows
             from load_quarantine group by all)`,
        )
      )[0]
    : null;
  const tests = (await has(db, "lens_test_results"))
    ? await rows(
        db,
        `select model, "check", status, failing_rows, strftime(ran_at, '%Y-%m-%d %H:%M') as ran_at from lens_test_results
         where run_id = (select run_id from lens_test_results order by ran_at desc limit 1) order by status <> 'fail', model, "check"`,
      )
    : null;
  const build = (await has(db, "lens_build_log"))
    ? rounded(
        await rows(
          db,
          `select model, status, duration_ms, rows, error, strftime(logged_at, '%Y-%m-%d %H:%M') as logged_at from lens_build_log
           where run_id = (select run_id from lens_build_log order by logged_at desc limit 1) order by model`,
        ),
      )
    : null;
  const freshness: Record<string, unknown>[] = [];
  for (const [entity, column] of [["orders", "ordered_at"], ["survey_responses", "responded_at"], ["tickets", "created_at"], ["loyalty_events", "occurred_at"], ["customers", "signup_date"], ["contracts", "start_date"]]) {
    const table = `raw_${entity}`;
    if (!(await has(db, table))) continue;
    const r = await rows(db, `select count(*) as rows, strftime(max("${column}"), '%Y-%m-%d') as latest_event, strftime(max(_loaded_at), '%Y-%m-%d %H:%M') as loaded_at from ${table}`);
    freshness.push({ entity, ...r[0] });
  }
  const asOf = (await has(db, "int_as_of")) ? ((await k.selectFrom("int_as_of").selectAll().executeTakeFirst()) ?? null) : null;
  const project = await readProject(db, "sql", { config: loadLensConfig(), checkSources: false });
  return { audit, auditTotals, auditFiles: AUDIT_FILES, quarantine, quarantineTotals, quarantineGroups: QUARANTINE_GROUPS, tests: tests && toColumns(tests), build, freshness, asOf, lineage: lineage(project) };
});
