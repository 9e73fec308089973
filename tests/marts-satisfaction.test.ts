import { describe, expect, it } from "vitest";
import type { DuckDBConnection } from "@duckdb/node-api";
import { selectModels } from "../lib/models/graph.ts";
import { buildModels, readProject, type Model } from "../lib/models/project.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { freshWarehouse, insertRows } from "./util/warehouse.ts";

// The model files do not change during a test file: read and parse them once.
let project: Model[] | undefined;

const MARTS = ["nps_monthly", "nps_by_segment", "csat_monthly", "negative_feedback", "new_customer_csat"];

/** Build the satisfaction marts and what they read (not the whole project: faster, and independent of other marts). */
async function buildMarts(db: DuckDBConnection): Promise<void> {
  const all = (project ??= await readProject(db, "sql", { checkSources: false }));
  const keep = selectModels(all, MARTS.map((m) => `+${m}`));
  await buildModels(db, all.filter((m) => keep.has(m.name)));
}

type Row = Record<string, unknown>;
const close = (actual: unknown, expected: number, digits = 6) => expect(actual as number).toBeCloseTo(expected, digits);

const customers = [
  { customer_id: "c1", customer_type: "ToB", signup_date: "2024-12-20", tier: "gold", region: "华东" },
  { customer_id: "c2", customer_type: "ToC", signup_date: "2023-01-01", tier: "basic", region: "华北" },
  { customer_id: "c3", customer_type: "ToC", signup_date: "2025-01-01", tier: "basic", region: "华北" },
];
const orders = [
  { order_id: "o1", customer_id: "c2", ordered_at: "2023-02-01 10:00:00", status: "completed", channel: "app", gross_amount: 100 },
  // c2 spends 4 × ¥2,000 in mid-2024: a core customer (> ¥5,000, ≥ 4 orders in the 365 days) by January 2025
  ...[6, 7, 8, 9].map((m) => ({
    order_id: `o2-${m}`, customer_id: "c2", ordered_at: `2024-0${m}-01 10:00:00`, status: "completed", channel: "store", gross_amount: 2000,
  })),
];

let seq = 0;
const nps = (customer_id: string, at: string, score: number, touchpoint = "after_sale") => ({
  response_id: `n${++seq}`, customer_id, responded_at: at, survey_type: "nps", touchpoint, score,
});
const csat = (customer_id: string, at: string, score: number, touchpoint = "after_sale") => ({
  response_id: `s${++seq}`, customer_id, responded_at: at, survey_type: "csat", touchpoint, score,
});

const surveys = [
  // 2024-01: scores 10, 5 → nps 0; p+ = p− = 0.5, var = 1 − 0² = 1, se = 100·sqrt(1/2) = 70.7107
  nps("c2", "2024-01-10 09:00:00", 10),
  nps("c2", "2024-01-11 09:00:00", 5),
  // 2025-01: 10, 9, 8 (after_sale) and 3, 0 (pre_sale) → 2 promoters, 1 passive, 2 detractors, nps = 0;
  // var = 0.4 + 0.4 − 0² = 0.8, se = 100·sqrt(0.8/5) = 40, CI = ±1.96·40 = [−78.4, 78.4]
  nps("c1", "2025-01-03 09:00:00", 10),
  nps("c1", "2025-01-04 09:00:00", 9),
  nps("c2", "2025-01-05 09:00:00", 8),
  nps("c2", "2025-01-06 09:00:00", 3, "pre_sale"),
  nps("c3", "2025-01-31 23:30:00", 0, "pre_sale"), // late evening of the last day: still January in Shanghai
  // 2025-02: 10, 10, 9, 7 → p+ = 0.75, p− = 0, nps = 75; var = 0.75 − 0.5625 = 0.1875,
  // se = 100·sqrt(0.1875/4) = 21.650635, CI = 75 ± 42.435245 = [32.564755, 117.43… clipped to 100]
  nps("c1", "2025-02-01 00:10:00", 10),
  nps("c1", "2025-02-02 09:00:00", 10),
  nps("c2", "2025-02-03 09:00:00", 9),
  nps("c3", "2025-02-04 09:00:00", 7),
  // CSAT 2025-01: 5, 3, 4, 4, 1 → satisfied 3/5 = 0.6; Wilson: d = 1 + 3.8416/5 = 1.76832,
  // centre = (0.6 + 3.8416/10)/d = 0.556551, half = 1.96·sqrt(0.24/5 + 3.8416/100)/d = 0.325831 → [0.230720, 0.882382].
  // mean 3.4; sd = sqrt((1.6² + 0.4² + 0.6² + 0.6² + 2.4²)/4) = sqrt(2.3) = 1.516575, se = 0.678233,
  // t(0.975, 4) = 2.7764 → 3.4 ± 1.883048 = [1.516952, 5.283… clipped to 5]
  csat("c1", "2025-01-05 10:00:00", 5),
  csat("c3", "2025-01-10 10:00:00", 3),
  csat("c3", "2025-01-20 10:00:00", 4),
  csat("c2", "2025-01-06 10:00:00", 4),
  csat("c2", "2025-01-07 10:00:00", 1),
  // out of the CSAT range: ignored everywhere
  csat("c2", "2025-01-08 10:00:00", 7),
];

async function build() {
  const w = await freshWarehouse();
  await insertRows(w.db, "raw_customers", customers);
  await insertRows(w.db, "raw_orders", orders);
  await insertRows(w.db, "raw_survey_responses", surveys);
  await buildMarts(w.db);
  return w;
}

describe("NPS", () => {
  it("matches the hand-computed monthly NPS, interval and changes", async () => {
    const w = await build();
    const rows = await queryRows(w.db, "select * from nps_monthly order by month");
    expect(rows.map((r: Row) => [r.month, r.responses, r.promoters, r.passives, r.detractors])).toEqual([
      ["2024-01-01", 2, 1, 0, 1],
      ["2025-01-01", 5, 2, 1, 2],
      ["2025-02-01", 4, 3, 1, 0],
    ]);
    const [ly, jan, feb] = rows;
    close(ly.se, 70.710678);
    close(jan.nps, 0);
    close(jan.se, 40);
    close(jan.ci_low, -78.4);
    close(jan.ci_high, 78.4);
    close(feb.nps, 75);
    close(feb.se, 21.650635);
    close(feb.ci_low, 32.564755);
    close(feb.ci_high, 100);
    // vs previous month: 75 − 0, se = sqrt(40² + 21.650635²) = 45.483513, ±1.96·se = ±89.147686
    close(feb.change_vs_prev, 75);
    close(feb.change_vs_prev_ci_low, -14.147686);
    close(feb.change_vs_prev_ci_high, 164.147686);
    // January vs January 2024: 0 − 0, se = sqrt(40² + 70.710678²) = 81.240384, ±159.231153
    close(jan.change_vs_last_year, 0);
    close(jan.change_vs_last_year_ci_low, -159.231153);
    close(jan.change_vs_last_year_ci_high, 159.231153);
    // 2024-01 has no 2023-12 and January 2025 has no December 2024: no change claimed
    expect(jan.change_vs_prev).toBeNull();
    expect(feb.change_vs_last_year).toBeNull();
  });

  it("splits by quarter and segment", async () => {
    const w = await build();
    // Q1 2025: 9 answers, 5 promoters, 2 passives, 2 detractors → nps = 300/9 = 33.333333;
    // var = 7/9 − (3/9)² = 6/9, se = 100·sqrt((6/9)/9) = 27.216553
    const [q1] = await queryRows(
      w.db,
      "select * from nps_by_segment where period_type = 'quarter' and dimension = 'all' and period_start = '2025-01-01'",
    );
    expect(q1.responses).toBe(9);
    close(q1.nps, 33.333333);
    close(q1.se, 27.216553);
    // Q1 2025 vs Q1 2024 (= January 2024 only)
    close(q1.change_vs_last_year, 33.333333);
    const touch = await queryRows(
      w.db,
      "select segment, responses, nps from nps_by_segment where period_type = 'month' and period_start = '2025-01-01' and dimension = 'touchpoint' order by segment",
    );
    // after_sale 10, 9, 8 → (2 − 0)/3 = 66.67; pre_sale 3, 0 → −100
    expect(touch.map((r: Row) => r.segment)).toEqual(["after_sale", "pre_sale"]);
    close(touch[0].nps, 66.666667);
    close(touch[1].nps, -100);
    const types = await queryRows(
      w.db,
      "select segment, responses from nps_by_segment where period_type = 'month' and period_start = '2025-01-01' and dimension = 'customer_type' order by segment",
    );
    expect(types).toEqual([
      { segment: "ToB", responses: 2 },
      { segment: "ToC", responses: 3 },
    ]);
    // value tier when answering: c2 (8, 3) core; c1 and c3 have no orders: basic. In January 2024 c2 had only
    // its ¥100 order of 2023-02 in the past year: basic then.
    const tiers = await queryRows(
      w.db,
      "select period_start, segment, responses from nps_by_segment where period_type = 'month' and dimension = 'value_tier' order by period_start, segment",
    );
    expect(tiers).toEqual([
      { period_start: "2024-01-01", segment: "basic", responses: 2 },
      { period_start: "2025-01-01", segment: "basic", responses: 3 },
      { period_start: "2025-01-01", segment: "core", responses: 2 },
      { period_start: "2025-02-01", segment: "basic", responses: 3 },
      { period_start: "2025-02-01", segment: "core", responses: 1 },
    ]);
    const channels = await queryRows(
      w.db,
      "select segment, responses from nps_by_segment where period_type = 'month' and period_start = '2025-01-01' and dimension = 'channel'",
    );
    expect(channels).toEqual([{ segment: "unknown", responses: 5 }]);
  });
});

describe("CSAT", () => {
  it("matches the hand-computed share (Wilson) and mean (t) intervals", async () => {
    const w = await build();
    const rows = await queryRows(w.db, "select * from csat_monthly");
    expect(rows).toHaveLength(1);
    const [jan] = rows;
    expect([jan.month, jan.responses, jan.satisfied]).toEqual(["2025-01-01", 5, 3]);
    close(jan.csat_share, 0.6);
    close(jan.share_ci_low, 0.230720);
    close(jan.share_ci_high, 0.882382);
    close(jan.csat_mean, 3.4);
    close(jan.sd, 1.516575);
    close(jan.mean_ci_low, 1.516954, 5);
    close(jan.mean_ci_high, 5);
  });

  it("computes the negative-feedback rate and the new-customer first-service CSAT", async () => {
    const w = await build();
    // January 2025: negatives = NPS 3, 0 and CSAT 1 → 3 of 10 answers; Wilson [0.107789, 0.603227]
    const [neg] = await queryRows(
      w.db,
      "select * from negative_feedback where period_type = 'month' and period_start = '2025-01-01' and dimension = 'all'",
    );
    expect([neg.responses, neg.negative, neg.detractors, neg.low_csat]).toEqual([10, 3, 2, 1]);
    close(neg.negative_rate, 0.3);
    close(neg.ci_low, 0.107789);
    close(neg.ci_high, 0.603227);
    // first CSAT answers: c1 5 (16 days after signup: new), c3 3 (9 days after signup: new; its later 4 does not
    // count), c2 4 (signed up 2023: not new) → 1 of 2 satisfied; Wilson [0.094529, 0.905471]
    const rows = await queryRows(w.db, "select * from new_customer_csat where period_type = 'month'");
    expect(rows.map((r: Row) => [r.period_start, r.responses, r.satisfied])).toEqual([["2025-01-01", 2, 1]]);
    close(rows[0].csat_share, 0.5);
    close(rows[0].ci_low, 0.094529);
    close(rows[0].ci_high, 0.905471);
  });
});

describe("satisfaction marts on an empty warehouse", () => {
  it("build with zero rows", async () => {
    const w = await freshWarehouse();
    await buildMarts(w.db);
    for (const t of MARTS) {
      expect(await queryRows(w.db, `select count(*)::int as n from ${t}`)).toEqual([{ n: 0 }]);
    }
  });
});
