import type { DuckDBConnection } from "@duckdb/node-api";
import { bgnbdConvergenceWarning, fitBgNbd, fitGammaGamma, gammaGammaWarnings, type BgNbdFit, type GammaGammaFit } from "./fit-models.ts";
import type { SpendGroups } from "./gamma-gamma.ts";
import { compareHoldout, type HoldoutComparison } from "./holdout.ts";
import { CLV_SEGMENTS, createFitStatistics, POOLED, readRfmGroups, readSpendGroups, toRfmGroups, type SegmentChoice } from "./summary-statistics.ts";

/** BG/NBD estimates as reported: parameters, log-likelihood, standard errors. */
export interface BgNbdReport {
  r: number;
  alpha: number;
  a: number;
  b: number;
  log_likelihood: number;
  std_errors: { r: number; alpha: number; a: number; b: number };
  customers: number;
  converged: boolean;
  fit_ms: number;
}

/** Gamma-Gamma estimates as reported (v is the scale γ of the papers). */
export interface GammaGammaReport {
  p: number;
  q: number;
  v: number;
  log_likelihood: number;
  std_errors: { p: number; q: number; v: number };
  /** Customers with at least one repeat transaction (the only ones the spend model uses). */
  customers: number;
  converged: boolean;
  fit_ms: number;
}

/** Everything `lens clv fit` reports. */
export interface ClvFitReport {
  calibration_end: string;
  /** The customers fitted: one customer type (stg_customers.customer_type) or "all" (pooled). */
  segment: SegmentChoice;
  holdout_end: string | null;
  customers: number;
  /** Distinct (x, t_x, T) groups the BG/NBD likelihood was evaluated on. */
  groups: number;
  bgnbd: BgNbdReport;
  gamma_gamma: GammaGammaReport | null;
  holdout: HoldoutComparison | null;
  warnings: string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Validate a YYYY-MM-DD date given on the command line; the message names the option. */
export function parseIsoDate(value: string, option: string): string {
  const d = new Date(`${value}T00:00:00Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new Error(`${option} must be a date as YYYY-MM-DD, got "${value}"`);
  }
  return value;
}

/** Validate `--segment`: ToC, ToB or all. */
export function parseSegment(value: string): SegmentChoice {
  const choices: readonly string[] = [...CLV_SEGMENTS, POOLED];
  if (!choices.includes(value)) throw new Error(`--segment must be one of ${choices.join(", ")}, got "${value}"`);
  return value as SegmentChoice;
}

/** Days from one ISO date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function bgnbdReport(fit: BgNbdFit): BgNbdReport {
  return {
    ...fit.params,
    log_likelihood: fit.logLikelihood,
    std_errors: { ...fit.stdErrors },
    customers: fit.customers,
    converged: fit.converged,
    fit_ms: fit.milliseconds,
  } as BgNbdReport;
}

export function gammaGammaReport(fit: GammaGammaFit): GammaGammaReport {
  return {
    ...fit.params,
    log_likelihood: fit.logLikelihood,
    std_errors: { ...fit.stdErrors },
    customers: fit.customers,
    converged: fit.converged,
    fit_ms: fit.milliseconds,
  } as GammaGammaReport;
}

/**
 * Fit BG/NBD and Gamma-Gamma on stg_orders up to the calibration end (inclusive; customers whose first
 * purchase is later are left out), and with a holdout end compare predicted and actual repeat
 * transactions in (calibration end, holdout end]. `segment` restricts everything (fit and holdout) to one
 * customer type; the default "all" pools every customer.
 */
export async function fitClv(
  db: DuckDBConnection,
  options: { calibrationEnd: string; holdoutEnd?: string; segment?: string },
): Promise<ClvFitReport> {
  const segment = parseSegment(options.segment ?? POOLED);
  const calibrationEnd = parseIsoDate(options.calibrationEnd, "--calibration-end");
  const holdoutEnd = options.holdoutEnd === undefined ? null : parseIsoDate(options.holdoutEnd, "--holdout-end");
  if (holdoutEnd !== null && holdoutEnd <= calibrationEnd) {
    throw new Error(`--holdout-end (${holdoutEnd}) must be after --calibration-end (${calibrationEnd})`);
  }
  // Per-customer statistics once, in a temporary table (allowed on a read-only warehouse); dropped at the end.
  const table = "_clv_fit_statistics";
  await createFitStatistics(db, table, { calibrationEnd, holdoutEnd, segment });
  let spendRead: Promise<SpendGroups> | undefined;
  try {
    const rows = await readRfmGroups(db, table, { holdout: holdoutEnd !== null });
    const customers = rows.reduce((s, r) => s + r.customers, 0);
    if (customers === 0) {
      const who = segment === POOLED ? "" : ` by ${segment} customers`;
      throw new Error(`no purchases (orders not cancelled or refunded)${who} on or before ${calibrationEnd} in stg_orders; load orders or choose a later --calibration-end`);
    }
    const warnings: string[] = [];
    // DuckDB reads the spend groups while the BG/NBD fit runs.
    spendRead = readSpendGroups(db, table);
    spendRead.catch(() => undefined);
    const bg = fitBgNbd(toRfmGroups(rows));
    const bgWarning = bgnbdConvergenceWarning(bg);
    if (bgWarning) warnings.push(bgWarning);
    let gamma: GammaGammaReport | null = null;
    try {
      const gg = fitGammaGamma(await spendRead);
      warnings.push(...gammaGammaWarnings(gg));
      gamma = gammaGammaReport(gg);
    } catch (error) {
      warnings.push((error as Error).message);
    }
    const holdout = holdoutEnd === null ? null : compareHoldout(bg.params, rows, daysBetween(calibrationEnd, holdoutEnd));
    return {
      calibration_end: calibrationEnd,
      segment,
      holdout_end: holdoutEnd,
      customers,
      groups: rows.length,
      bgnbd: bgnbdReport(bg),
      gamma_gamma: gamma,
      holdout,
      warnings,
    };
  } finally {
    // The connection runs one statement at a time: let the read finish first.
    await spendRead?.catch(() => undefined);
    await db.run(`drop table if exists ${table}`);
  }
}
