import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { DEFAULT_TARGETS, mergeTargets } from "../lib/config/default-targets.ts";
import { writeConfigTables } from "../lib/config/config-tables.ts";
import { LensConfig, Target } from "../lib/config/lens-config.ts";
import { selectModels } from "../lib/models/graph.ts";
import { buildModels, readProject, type Model } from "../lib/models/project.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { freshWarehouse, insertRows } from "./util/warehouse.ts";

// The model files do not change during a test file: read and parse them once.
let project: Model[] | undefined;

type Row = Record<string, unknown>;

/** Build the scorecard and everything it reads. */
async function buildScorecard(db: DuckDBConnection): Promise<void> {
  const all = (project ??= await readProject(db, "sql", { checkSources: false }));
  const keep = selectModels(all, ["+kpi_scorecard"]);
  await buildModels(db, all.filter((m) => keep.has(m.name)));
}

let seq = 0;
const answer = (survey_type: string, at: string, score: number, touchpoint = "after_sale") => ({
  response_id: `r${++seq}`, customer_id: "c1", responded_at: `${at} 10:00:00`, survey_type, touchpoint, score,
});
const surveys = [
  // Dec 2024: NPS 10, 0 → 0
  answer("nps", "2024-12-10", 10),
  answer("nps", "2024-12-11", 0),
  // Jan 2025: NPS 10, 10, 9, 8, 5 → (3 − 1)/5 = 40: exactly the default target → met; change vs December +40
  answer("nps", "2025-01-02", 10),
  answer("nps", "2025-01-03", 10),
  answer("nps", "2025-01-04", 9),
  answer("nps", "2025-01-05", 8),
  answer("nps", "2025-01-06", 5),
  // Jan 2025: CSAT 5, 4, 4, 4, 3 → mean 4.0: below 4.2 but within 5% (≥ 3.99) → at risk;
  // share 4/5 = 0.8 < 0.92 − 0.046 → missed
  answer("csat", "2025-01-07", 5),
  answer("csat", "2025-01-08", 4),
  answer("csat", "2025-01-09", 4),
  answer("csat", "2025-01-10", 4),
  answer("csat", "2025-01-11", 3),
];

// One purchase-stage complaint, answered in 10 min (SLA 30) and resolved in 2 h with 1 contact.
const tickets = [
  {
    ticket_id: "t1", customer_id: "c1", channel: "phone", touchpoint: "purchase", category: "delivery", is_complaint: true,
    severity: "general", created_at: "2025-01-06 10:00:00", first_response_at: "2025-01-06 10:10:00",
    resolved_at: "2025-01-06 12:00:00", contacts: 1,
  },
];

async function build(config: unknown = {}, withTickets = false) {
  const w = await freshWarehouse(config);
  await insertRows(w.db, "raw_customers", [{ customer_id: "c1", customer_type: "ToC", signup_date: "2020-01-01" }]);
  await insertRows(w.db, "raw_survey_responses", surveys);
  if (withTickets) await insertRows(w.db, "raw_tickets", tickets);
  await buildScorecard(w.db);
  return w;
}

const row = async (db: DuckDBConnection, kpi: string, period_type: string, period_start: string): Promise<Row> => {
  const rows = await queryRows(db, "select * from kpi_scorecard where kpi = $1 and period_type = $2 and period_start = $3", [kpi, period_type, period_start]);
  expect(rows, `${kpi} ${period_type} ${period_start}`).toHaveLength(1);
  return rows[0];
};

describe("default targets", () => {
  it("holds the catalogue's targets, and config targets replace or extend them by kpi", () => {
    const byKpi = Object.fromEntries(DEFAULT_TARGETS.map((t) => [t.kpi, t]));
    expect([byKpi.nps.target, byKpi.nps.direction]).toEqual([40, "higher"]);
    expect([byKpi.csat_mean.target, byKpi.csat_share.target, byKpi.new_customer_csat.target]).toEqual([4.2, 0.92, 0.85]);
    expect([byKpi.negative_feedback_rate.target, byKpi.negative_feedback_rate.direction]).toEqual([0.05, "lower"]);
    expect([byKpi.response_timeliness_rate.target, byKpi.complaint_resolution_rate.target, byKpi.resolved_within_3_contacts.target]).toEqual([0.9, 0.95, 0.8]);
    expect([byKpi.median_first_response_minutes.target, byKpi.median_first_response_minutes.unit]).toEqual([30, "minutes"]);
    expect([byKpi.high_value_revenue_share.target, byKpi.profile_completeness.target, byKpi.winback_rate.target]).toEqual([0.7, 0.9, 0.3]);
    expect([byKpi.core_customer_churn.target, byKpi.incentive_satisfaction.target]).toEqual([0.05, 0.88]);
    const merged = mergeTargets([
      Target.parse({ kpi: "nps", label: "NPS", target: 45, direction: "higher", unit: "score" }),
      Target.parse({ kpi: "store_visits", label: "Store visits", target: 3, direction: "higher", unit: "count" }),
    ]);
    expect(merged).toHaveLength(DEFAULT_TARGETS.length + 1);
    expect(merged.find((t) => t.kpi === "nps")!.target).toBe(45);
  });

  it("writes config_targets and rejects an invalid target at the edge", async () => {
    const w = await freshWarehouse({ targets: [{ kpi: "nps", label: "NPS", target: 45, direction: "higher", unit: "score" }] });
    const rows = await queryRows(w.db, "select kpi, target, direction, period from config_targets order by kpi");
    expect(rows).toHaveLength(DEFAULT_TARGETS.length);
    expect(rows.find((r: Row) => r.kpi === "nps")).toEqual({ kpi: "nps", target: 45, direction: "higher", period: "month" });
    await expect(freshWarehouse({ targets: [{ kpi: "nps", label: "NPS", target: 45, direction: "up", unit: "score" }] })).rejects.toThrow();
  });

  it("rewrites the config tables only when the config changed", async () => {
    const w = await freshWarehouse();
    // A hand edit stands until the config itself changes: only then are the tables written again.
    await w.db.run("update config_targets set target = -1 where kpi = 'nps'");
    await writeConfigTables(w.db, LensConfig.parse({}));
    expect(await queryRows(w.db, "select target from config_targets where kpi = 'nps'")).toEqual([{ target: -1 }]);
    await writeConfigTables(w.db, LensConfig.parse({ metrics: { churn_days: 120 } }));
    expect(await queryRows(w.db, "select target from config_targets where kpi = 'nps'")).toEqual([
      { target: DEFAULT_TARGETS.find((t) => t.kpi === "nps")!.target },
    ]);
    expect(await queryRows(w.db, "select churn_days from config_metrics")).toEqual([{ churn_days: 120 }]);
  });
});

describe("kpi_scorecard", () => {
  it("gives met, at risk and missed against the targets, with the previous period and n", async () => {
    const w = await build({}, true);
    const nps = await row(w.db, "nps", "month", "2025-01-01");
    expect([nps.actual, nps.target, nps.status, nps.previous, nps.change, nps.n, nps.source_mart]).toEqual([40, 40, "met", 0, 40, 5, "nps_by_segment"]);
    expect(nps.ci_low as number).toBeLessThan(40);
    const mean = await row(w.db, "csat_mean", "month", "2025-01-01");
    expect(mean.actual as number).toBeCloseTo(4.0, 10);
    expect([mean.status, mean.n]).toEqual(["at risk", 5]);
    const share = await row(w.db, "csat_share", "month", "2025-01-01");
    expect([share.actual, share.status]).toEqual([0.8, "missed"]);
    // negative: the NPS 5 of 10 January answers → 0.1 > 0.05 + 0.0025 → missed (direction lower)
    const neg = await row(w.db, "negative_feedback_rate", "month", "2025-01-01");
    expect([neg.actual, neg.status]).toEqual([0.1, "missed"]);
    // quarter rows pool the months: Q4 2024 NPS 0 (2 answers), Q1 2025 NPS 40 (5 answers), change +40
    const q1 = await row(w.db, "nps", "quarter", "2025-01-01");
    expect([q1.actual, q1.previous, q1.change, q1.n, q1.status]).toEqual([40, 0, 40, 5, "met"]);
    // service KPIs come from service_rates: 1 of 1 answered within SLA; median 10 min ≤ 30 (direction lower)
    const timeliness = await row(w.db, "response_timeliness_rate", "month", "2025-01-01");
    expect([timeliness.actual, timeliness.n, timeliness.status, timeliness.source_mart]).toEqual([1, 1, "met", "service_rates"]);
    const minutes = await row(w.db, "median_first_response_minutes", "month", "2025-01-01");
    expect([minutes.actual, minutes.status]).toEqual([10, "met"]);
    // December had no tickets: missing, not 0
    expect((await row(w.db, "complaint_resolution_rate", "month", "2024-12-01")).status).toBe("missing");
  });

  it("shows a KPI without data as missing, never 0", async () => {
    const w = await build({
      targets: [
        { kpi: "nps", label: "NPS", target: 41, direction: "higher", unit: "score" },
        { kpi: "store_visits", label: "Store visits per customer", target: 3, direction: "higher", unit: "count" },
      ],
    });
    // no tickets at all: service KPIs are missing in January
    const timeliness = await row(w.db, "response_timeliness_rate", "month", "2025-01-01");
    expect([timeliness.actual, timeliness.status, timeliness.n]).toEqual([null, "missing", null]);
    // no CSAT answers in December: missing there, and January has no previous value
    const dec = await row(w.db, "csat_mean", "month", "2024-12-01");
    expect([dec.actual, dec.status]).toEqual([null, "missing"]);
    expect((await row(w.db, "csat_mean", "month", "2025-01-01")).previous).toBeNull();
    // a KPI no mart measures is listed, and missing
    const custom = await row(w.db, "store_visits", "month", "2025-01-01");
    expect([custom.actual, custom.status, custom.source_mart]).toEqual([null, "missing", null]);
    // the configured NPS target 41 replaces 40: 40 ≥ 41 − 0.05·41 = 38.95 → at risk
    const nps = await row(w.db, "nps", "month", "2025-01-01");
    expect([nps.target, nps.status]).toEqual([41, "at risk"]);
    const statuses = await queryRows(w.db, "select distinct status from kpi_scorecard where actual is null");
    expect(statuses).toEqual([{ status: "missing" }]);
  });

  it("builds (with no rows) on an empty warehouse", async () => {
    const w = await freshWarehouse();
    await buildScorecard(w.db);
    expect(await queryRows(w.db, "select count(*)::int as n from kpi_scorecard")).toEqual([{ n: 0 }]);
  });
});
