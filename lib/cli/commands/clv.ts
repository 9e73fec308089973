import { Option, type Command } from "commander";
import { fitClv, type ClvFitReport } from "../../clv/fit.ts";
import { openWarehouse } from "../../warehouse/open.ts";
import { warehouseOption } from "../options.ts";

/** `lens clv fit`: fit BG/NBD + Gamma-Gamma at a calibration date and, optionally, check a holdout. */
export function register(program: Command): void {
  const clv = program
    .command("clv")
    .description("Predictive customer lifetime value: BG/NBD (repeat purchases) and Gamma-Gamma (spend)");
  warehouseOption(
    clv
      .command("fit")
      .description("Fit BG/NBD and Gamma-Gamma on orders up to a calibration date; print parameters and the holdout check")
      .requiredOption("--calibration-end <date>", "last day of the calibration period (YYYY-MM-DD, inclusive)")
      .option("--holdout-end <date>", "compare predicted and actual repeat purchases from the day after --calibration-end to this date (inclusive)")
      .addOption(
        new Option("--segment <segment>", "fit one customer type (stg_customers.customer_type) or all customers pooled")
          .choices(["ToC", "ToB", "all"])
          .default("all"),
      )
      .option("--json", "print the report as JSON")
      .addHelpText(
        "after",
        `
Transactions are purchase days (orders neither cancelled nor refunded; same-day orders count once), time is in weeks,
x counts repeat transactions and the spend model uses the mean value of the repeat transactions.

--segment all (the default) pools every customer, as the published CDNOW results do. Consumers (ToC) and
business accounts (ToB) buy at different rates and spend on scales an order of magnitude apart, so on a
mixed warehouse fit them separately; the warehouse model int_customer_clv_predicted does so by itself.

Examples:
  # CDNOW (Fader, Hardie & Lee 2005): 39-week calibration, 39-week holdout
  lens clv fit --calibration-end 1997-09-30 --holdout-end 1998-06-30
  # consumers only, holdout over the second half of 2025, as JSON
  lens clv fit --segment ToC --calibration-end 2025-06-30 --holdout-end 2025-12-31 --json
  # business accounts, on another warehouse file
  lens clv fit --segment ToB --calibration-end 2025-12-31 --warehouse ./warehouse.duckdb

See docs/clv.md for the definitions, the models and the CDNOW check.`,
      ),
  ).action(async (opts: { calibrationEnd: string; holdoutEnd?: string; segment: string; json?: boolean; warehouse: string }) => {
    const w = await openWarehouse(opts.warehouse, { readOnly: true });
    try {
      const report = await fitClv(w.db, { calibrationEnd: opts.calibrationEnd, holdoutEnd: opts.holdoutEnd, segment: opts.segment });
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
      for (const warning of report.warnings) process.stderr.write(`warning: ${warning}\n`);
    } finally {
      w.close();
    }
  });
}

const num = (v: number, digits = 4) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** The text form of a fit report. */
export function formatReport(report: ClvFitReport): string {
  const out: string[] = [];
  const who = report.segment === "all" ? "customers (all segments pooled)" : `${report.segment} customers`;
  out.push(`calibration end ${report.calibration_end}: ${report.customers} ${who} in ${report.groups} (x, t_x, T) groups; time unit weeks`);
  const bg = report.bgnbd;
  out.push("", `bgnbd  (log_likelihood ${num(bg.log_likelihood, 2)}, ${bg.fit_ms.toFixed(0)} ms)`);
  out.push(
    table(
      ["parameter", "estimate", "std_error"],
      (["r", "alpha", "a", "b"] as const).map((k) => [k, num(bg[k]), num(bg.std_errors[k])]),
    ),
  );
  const gg = report.gamma_gamma;
  if (gg) {
    out.push("", `gamma_gamma  (log_likelihood ${num(gg.log_likelihood, 2)}, ${gg.customers} repeat customers, ${gg.fit_ms.toFixed(0)} ms)`);
    out.push(table(["parameter", "estimate", "std_error"], (["p", "q", "v"] as const).map((k) => [k, num(gg[k]), num(gg.std_errors[k])])));
  } else out.push("", "gamma_gamma  not fitted (see warning)");
  const h = report.holdout;
  if (h) {
    out.push(
      "",
      `holdout ${report.calibration_end} < day ≤ ${report.holdout_end} (${num(h.weeks, 2)} weeks): predicted ${num(h.predicted_total, 1)} vs actual ${h.actual_total} repeat transactions (${num(100 * h.relative_error, 1)}%)`,
    );
    out.push(
      table(
        ["calibration x", "customers", "actual", "predicted", "actual/cust", "predicted/cust"],
        h.by_frequency.map((b) => [b.frequency, String(b.customers), String(b.actual), num(b.predicted, 1), num(b.actual_mean, 3), num(b.predicted_mean, 3)]),
      ),
    );
  }
  return `${out.join("\n")}\n`;
}
