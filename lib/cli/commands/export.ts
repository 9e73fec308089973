import type { DuckDBConnection } from "@duckdb/node-api";
import type { Command } from "commander";
import { existsSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, relative, resolve, sep } from "node:path";
import pc from "picocolors";
import type { Customer } from "../../../loaders/contracts/customers.ts";
import { marts } from "../../warehouse/marts.ts";
import { openWarehouse } from "../../warehouse/open.ts";
import { queryRows } from "../../warehouse/query.ts";
import { warehouseOption } from "../options.ts";
import { PROJECT_ROOT } from "./site.ts";

/** Columns of the advisors' call list, in order. Contact details come from stg_customers. */
export const CALL_LIST_COLUMNS = [
  "risk_rank",
  "customer_id",
  "name",
  "company_name",
  "phone",
  "email",
  "city",
  "customer_type",
  "value_tier",
  "reasons",
  "value_at_risk",
  "last_activity_date",
  "open_complaints",
  "warning_fired_at",
  "hours_since_warning",
  "advisor_overdue",
] as const;

/**
 * stg_customers as the warehouse holds it: the customers contract's columns (staging only renames and
 * casts), each nullable. Staging views have no generated types; the contract is their source of truth.
 */
type StgCustomers = { [K in keyof Customer]-?: Exclude<Customer[K], undefined> | null };

/** The call list: churn_early_warning (typed mart) with contact details from stg_customers, by risk rank. */
function callListQuery(db: DuckDBConnection, opts: { limit: number; overdueOnly: boolean }) {
  let query = marts(db)
    .withTables<{ stg_customers: StgCustomers }>()
    .selectFrom("churn_early_warning as w")
    .leftJoin("stg_customers as c", "c.customer_id", "w.customer_id")
    .select((eb) => [
      "w.risk_rank",
      "w.customer_id",
      "c.name",
      "c.company_name",
      "c.phone",
      "c.email",
      "c.city",
      "w.customer_type",
      "w.value_tier",
      "w.reasons",
      eb.fn<number | null>("round", ["w.value_at_risk", eb.lit(2)]).as("value_at_risk"),
      "w.last_activity_date",
      "w.open_complaints",
      "w.warning_fired_at",
      eb.fn<number | null>("round", ["w.hours_since_warning", eb.lit(1)]).as("hours_since_warning"),
      "w.advisor_overdue",
    ])
    .orderBy("w.risk_rank")
    .limit(opts.limit);
  if (opts.overdueOnly) query = query.where("w.advisor_overdue", "=", true);
  return query;
}

/** A row of the call list; CALL_LIST_COLUMNS must name its columns (tsc checks it where the CSV is written). */
type CallListRow = Awaited<ReturnType<ReturnType<typeof callListQuery>["execute"]>>[number];

/**
 * CSV for Excel: UTF-8 with a byte-order mark (Excel otherwise reads UTF-8 as the local code page and
 * garbles Chinese), CRLF line ends, RFC 4180 quoting.
 */
export function excelCsv<T extends Record<string, unknown>>(rows: T[], columns: readonly (keyof T & string)[]): string {
  const cell = (v: unknown) => {
    if (v == null) return "";
    const s = String(v);
    return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Write the advisors' call list; refuses a path inside the published site. Returns the number of customers. */
export async function exportCallList(opts: { warehouse: string; out: string; limit?: number; overdueOnly?: boolean }): Promise<number> {
  const out = resolve(opts.out);
  const site = resolve(PROJECT_ROOT, "dist");
  if (out === site || out.startsWith(site + sep)) {
    throw new Error(`refusing to write the call list into ${relative(process.cwd(), site) || site}: it holds contact details and dist/ is the published site`);
  }
  const w = await openWarehouse(opts.warehouse, { readOnly: true });
  let rows: CallListRow[];
  try {
    const tables = await queryRows<{ n: number }>(w.db, "select count(*) as n from information_schema.tables where table_name in ('churn_early_warning', 'stg_customers')");
    if (tables[0]?.n !== 2) throw new Error(`${opts.warehouse} has no churn_early_warning or stg_customers; run \`lens build\` first`);
    rows = await callListQuery(w.db, { limit: opts.limit ?? 1_000_000, overdueOnly: opts.overdueOnly ?? false }).execute();
  } finally {
    w.close();
  }
  await mkdir(dirname(out), { recursive: true });
  const temp = `${out}.${process.pid}.tmp`;
  try {
    await writeFile(temp, excelCsv(rows, CALL_LIST_COLUMNS), "utf8");
    await rename(temp, out);
  } finally {
    if (existsSync(temp)) await rm(temp, { force: true });
  }
  return rows.length;
}

/** `lens export`: files with personal data for the people who act on them — never part of the site. */
export function register(program: Command): void {
  const exportCmd = program
    .command("export")
    .description("Export files for operational use (with contact details), e.g. the advisors' churn call list");
  warehouseOption(
    exportCmd
      .command("call-list")
      .description("Customers on the churn early-warning list with their contact details, highest value at risk first (CSV for Excel)")
      .requiredOption("-o, --out <file>", "CSV file to write (UTF-8 with BOM, opens in Excel)")
      .option("--limit <n>", "only the first n customers by risk rank", (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) throw new Error(`--limit must be a positive whole number, not ${v}`);
        return n;
      })
      .option("--overdue-only", "only customers whose advisor deadline (advisor_response_hours) has passed")
      .addHelpText(
        "after",
        "\nThe file holds names, phones and e-mails: share it only with the advisors, never publish it.\n" +
          "Example:\n  lens export call-list --out call-list.csv --overdue-only",
      ),
  ).action(async (opts: { out: string; limit?: number; overdueOnly?: boolean; warehouse: string }) => {
    const n = await exportCallList(opts);
    process.stderr.write(`${pc.green("wrote")} ${n} customers → ${opts.out} (contains contact details: do not publish)\n`);
  });
}
