import { listValue, type DuckDBConnection, type DuckDBValue } from "@duckdb/node-api";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeConfigTables } from "../lib/config/config-tables.ts";
import { LensConfig } from "../lib/config/lens-config.ts";
import { contractChecks } from "../lib/models/checks.ts";
import { buildModels, readProject } from "../lib/models/project.ts";
import { openWarehouse, type Warehouse } from "../lib/warehouse/open.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { ensureRawTables } from "../loaders/raw-tables.ts";
import { buildAll, freshWarehouse, insertRows } from "./util/warehouse.ts";

// A hand-computed fixture for the customer-value marts. The latest event is C05's ticket at
// 2024-12-31 10:00, so as_of_date = 2024-12-31 and as_of_at = 2024-12-31 10:00. Config defaults:
// churn 90 days, win-back 90 days, repurchase window 365 days, core > ¥5,000 and ≥ 4 purchase days.
//
// Purchase days (net ¥) per customer, and what each one is for:
//   C01 ToC online gold   01-31 23:59 (100) | 02-01 00:00 (200) | 03-15 (300 − 30 discount − 20 refund = 250) | 08-01 (400)
//                         month boundary; churns 06-13, won back 08-01, churns again 10-30
//   C02 ToC store silver  01-10 09:00 (50) + 01-10 18:00 (70): same day = one purchase; 02-20 cancelled (500 → 0);
//                         CSAT 5 on 03-01 keeps it active until it churns 05-30; never returns
//   C03 ToC app           06-05 (100 − 20 = 80) only; loyalty sign-in 08-20 (interaction), expiry 12-01 (not) → churns 11-18
//   C04 ToC online vip    02-10 (2000) 05-10 (1500) 07-20 (1200) 10-01 (1000) 12-20 (500): gap of exactly 90 days
//                         does not churn; core tier; open complaint 12-30 09:00 (25 h before as_of)
//   C05 ToB sales         03-01 (12000); churns 05-30; resolved ticket 12-31 10:00 = the as_of event
//   C06 ToB partner       06-01 (24000) 09-15 (3000): churns 08-30, won back 09-15, churns 12-14; contracts
//   C07 ToC referral      only a fully refunded order (300 → 0): no purchase; NPS 3 (would be a warning if a buyer)
//   C08 ToC online gold   01-05 300, 03-01 400, 04-20 200, 06-10 600, 08-01 100, 10-15 150, 12-01 250; CSAT 2 on 12-15 14:00
//   C09 ToC store basic   01-20 02-15 03-20 05-01 06-15 09-01 (100 each); review 11-20; old CSAT 1 (09-01) outside 90 days
//   C10 ToC app           12-05 (60): new
//   C11 ToC online silver 08-15 (200) 10-01 (300) 11-25 (150): growth stage
//   C12 ToB sales         nothing at all; incomplete profile
//   C13 ToC online gold   07-01 two orders (500 + 100), 09-10 (400), 12-10 (300): a 91-day gap churns on 12-09
const customers = [
  { customer_id: "C01", customer_type: "ToC", name: "张三", phone: "13800000001", city: "上海", region: "华东", acquisition_channel: "online", tier: "gold", signup_date: "2024-01-01" },
  { customer_id: "C02", customer_type: "ToC", name: "李四", email: "li@example.com", city: "北京", region: "华北", acquisition_channel: "store", tier: "silver", signup_date: "2024-01-02" },
  { customer_id: "C03", customer_type: "ToC", name: "王五", city: "杭州", region: "华东", acquisition_channel: "app", signup_date: "2024-06-01" },
  { customer_id: "C04", customer_type: "ToC", name: "赵六", phone: "13800000004", city: "上海", region: "华东", acquisition_channel: "online", tier: "vip", signup_date: "2024-02-01" },
  { customer_id: "C05", customer_type: "ToB", company_name: "甲公司", phone: "021-0000005", city: "上海", region: "华东", acquisition_channel: "sales", signup_date: "2023-01-01" },
  { customer_id: "C06", customer_type: "ToB", name: "Contact Six", company_name: "乙公司", email: "six@example.com", city: "深圳", acquisition_channel: "partner", signup_date: "2023-03-01" },
  { customer_id: "C07", customer_type: "ToC", name: "孙七", phone: "13800000007", city: "  ", region: "华南", acquisition_channel: "referral", tier: "silver", signup_date: "2024-04-01" },
  { customer_id: "C08", customer_type: "ToC", name: "周八", phone: "13800000008", city: "南京", region: "华东", acquisition_channel: "online", tier: "gold", signup_date: "2024-01-01" },
  { customer_id: "C09", customer_type: "ToC", name: "吴九", phone: "13800000009", city: "成都", region: "西南", acquisition_channel: "store", tier: "basic", signup_date: "2024-01-15" },
  { customer_id: "C10", customer_type: "ToC", phone: "13800000010", city: "广州", region: "华南", acquisition_channel: "app", signup_date: "2024-12-01" },
  { customer_id: "C11", customer_type: "ToC", name: "郑十一", email: "c11@example.com", city: "武汉", region: "华中", acquisition_channel: "online", tier: "silver", signup_date: "2024-08-01" },
  { customer_id: "C12", customer_type: "ToB", company_name: "丙公司", acquisition_channel: "sales", signup_date: "2024-05-01" },
  { customer_id: "C13", customer_type: "ToC", name: "冯十三", phone: "13800000013", city: "上海", region: "华东", acquisition_channel: "online", tier: "gold", signup_date: "2024-06-20" },
];

const order = (order_id: string, customer_id: string, ordered_at: string, gross_amount: number, extra: Record<string, unknown> = {}) => ({
  order_id,
  customer_id,
  ordered_at,
  status: "completed",
  gross_amount,
  ...extra,
});

const orders = [
  order("O01", "C01", "2024-01-31 23:59:00", 100),
  order("O02", "C01", "2024-02-01 00:00:00", 200),
  order("O03", "C01", "2024-03-15 10:00:00", 300, { status: "partially_refunded", discount_amount: 30, refund_amount: 20 }),
  order("O04", "C01", "2024-08-01 12:00:00", 400),
  order("O05", "C02", "2024-01-10 09:00:00", 50),
  order("O06", "C02", "2024-01-10 18:00:00", 70),
  order("O07", "C02", "2024-02-20 12:00:00", 500, { status: "cancelled" }),
  order("O08", "C03", "2024-06-05 12:00:00", 100, { discount_amount: 20 }),
  order("O09", "C04", "2024-02-10 12:00:00", 2000),
  order("O10", "C04", "2024-05-10 12:00:00", 1500),
  order("O11", "C04", "2024-07-20 12:00:00", 1200),
  order("O12", "C04", "2024-10-01 12:00:00", 1000),
  order("O13", "C04", "2024-12-20 12:00:00", 500),
  order("O14", "C05", "2024-03-01 12:00:00", 12000),
  order("O15", "C06", "2024-06-01 12:00:00", 24000),
  order("O16", "C06", "2024-09-15 12:00:00", 3000),
  order("O17", "C07", "2024-04-10 12:00:00", 300, { status: "refunded", refund_amount: 300 }),
  order("O18", "C08", "2024-01-05 12:00:00", 300),
  order("O19", "C08", "2024-03-01 12:00:00", 400),
  order("O20", "C08", "2024-04-20 12:00:00", 200),
  order("O21", "C08", "2024-06-10 12:00:00", 600),
  order("O22", "C08", "2024-08-01 12:00:00", 100),
  order("O23", "C08", "2024-10-15 12:00:00", 150),
  order("O24", "C08", "2024-12-01 12:00:00", 250),
  order("O25", "C09", "2024-01-20 12:00:00", 100),
  order("O26", "C09", "2024-02-15 12:00:00", 100),
  order("O27", "C09", "2024-03-20 12:00:00", 100),
  order("O28", "C09", "2024-05-01 12:00:00", 100),
  order("O29", "C09", "2024-06-15 12:00:00", 100),
  order("O30", "C09", "2024-09-01 12:00:00", 100),
  order("O31", "C10", "2024-12-05 12:00:00", 60),
  order("O32", "C11", "2024-08-15 12:00:00", 200),
  order("O33", "C11", "2024-10-01 12:00:00", 300),
  order("O34", "C11", "2024-11-25 12:00:00", 150),
  order("O35", "C13", "2024-07-01 10:00:00", 500),
  order("O36", "C13", "2024-07-01 15:00:00", 100),
  order("O37", "C13", "2024-09-10 12:00:00", 400),
  order("O38", "C13", "2024-12-10 12:00:00", 300),
];

const contracts = [
  { contract_id: "K1", customer_id: "C05", start_date: "2023-01-01", end_date: "2023-12-31", annual_value: 10000, status: "expired" },
  { contract_id: "K2", customer_id: "C05", start_date: "2024-01-01", end_date: "2024-12-31", annual_value: 11000, renews_contract_id: "K1", status: "active" },
  { contract_id: "K3", customer_id: "C06", start_date: "2023-06-01", end_date: "2024-05-31", annual_value: 20000, status: "expired" },
  { contract_id: "K4", customer_id: "C06", start_date: "2024-06-01", end_date: "2025-05-31", annual_value: 24000, renews_contract_id: "K3", status: "active" },
  { contract_id: "K5", customer_id: "C06", start_date: "2023-03-01", end_date: "2024-02-29", annual_value: 5000, status: "cancelled" },
  { contract_id: "K6", customer_id: "C06", start_date: "2023-09-01", end_date: "2024-08-31", annual_value: 8000, status: "expired" },
];

const surveys = [
  { response_id: "S1", customer_id: "C02", responded_at: "2024-03-01 10:00:00", survey_type: "csat", touchpoint: "after_sale", score: 5 },
  { response_id: "S2", customer_id: "C07", responded_at: "2024-11-01 10:00:00", survey_type: "nps", touchpoint: "purchase", score: 3 },
  { response_id: "S3", customer_id: "C08", responded_at: "2024-06-01 10:00:00", survey_type: "nps", touchpoint: "purchase", score: 9 },
  { response_id: "S4", customer_id: "C08", responded_at: "2024-12-15 14:00:00", survey_type: "csat", touchpoint: "after_sale", score: 2 },
  { response_id: "S5", customer_id: "C09", responded_at: "2024-09-01 10:00:00", survey_type: "csat", touchpoint: "after_sale", score: 1 },
];

const tickets = [
  { ticket_id: "T1", customer_id: "C04", channel: "phone", touchpoint: "after_sale", category: "delivery", is_complaint: true, severity: "general", created_at: "2024-12-30 09:00:00" },
  { ticket_id: "T2", customer_id: "C05", channel: "email", touchpoint: "after_sale", category: "billing", is_complaint: false, severity: "general", created_at: "2024-12-31 10:00:00", resolved_at: "2024-12-31 11:00:00" },
  { ticket_id: "T3", customer_id: "C08", channel: "wechat", touchpoint: "after_sale", category: "refund", is_complaint: true, severity: "serious", created_at: "2024-11-02 10:00:00", resolved_at: "2024-11-03 10:00:00" },
];

const loyaltyEvents = [
  { event_id: "L1", customer_id: "C03", occurred_at: "2024-08-20 08:00:00", event_type: "earn_signin", points: 5 },
  { event_id: "L2", customer_id: "C03", occurred_at: "2024-12-01 00:00:00", event_type: "expire", points: 80 },
  { event_id: "L3", customer_id: "C09", occurred_at: "2024-11-20 20:00:00", event_type: "earn_review", points: 10 },
  { event_id: "L4", customer_id: "C04", occurred_at: "2024-12-20 12:00:00", event_type: "earn_purchase", points: 500, order_id: "O13" },
];

// Made-up model output: the join is what customer_ltv and the warning list are tested on, not the fit.
// C02's low P(alive) must not put it on the warning list: it was last active 305 days ago (lost, not at risk).
const predicted = [
  { customer_id: "C01", frequency: 3, recency_weeks: 26, age_weeks: 48, avg_repeat_value: 283.33, p_alive: 0.2, predicted_purchases: 0.4, predicted_avg_spend: 270, predicted_clv: 50, weeks_below_warning: 0.5 },
  { customer_id: "C02", frequency: 0, recency_weeks: 0, age_weeks: 51, avg_repeat_value: 0, p_alive: 0.05, predicted_purchases: 0.01, predicted_avg_spend: 100, predicted_clv: 1, weeks_below_warning: 40 },
  { customer_id: "C04", frequency: 4, recency_weeks: 45, age_weeks: 46, avg_repeat_value: 1050, p_alive: 0.95, predicted_purchases: 3.1, predicted_avg_spend: 1100, predicted_clv: 3000 },
  { customer_id: "C08", frequency: 6, recency_weeks: 47, age_weeks: 51, avg_repeat_value: 283.33, p_alive: 0.8, predicted_purchases: 4.2, predicted_avg_spend: 290, predicted_clv: 900 },
  { customer_id: "C13", frequency: 2, recency_weeks: 23, age_weeks: 26, avg_repeat_value: 350, p_alive: 0.3, predicted_purchases: 0.9, predicted_avg_spend: 360, predicted_clv: 400, weeks_below_warning: 1 },
];

const PREDICTED_DDL = `create or replace table int_customer_clv_predicted (
  customer_id varchar, frequency bigint, recency_weeks double, age_weeks double, avg_repeat_value double,
  p_alive double, predicted_purchases double, predicted_avg_spend double, predicted_clv double, weeks_below_warning double)`;
const hasClvModel = () => existsSync("sql/intermediate/int_customer_clv_predicted.ts");

/** Build the whole project, then pin int_customer_clv_predicted to hand-made rows and rebuild what reads it. */
async function buildWith(db: DuckDBConnection, predictedRows: Record<string, unknown>[]): Promise<void> {
  if (!hasClvModel()) await db.run(PREDICTED_DDL);
  await buildAll(db);
  await db.run(PREDICTED_DDL);
  await insertRows(db, "int_customer_clv_predicted", predictedRows);
  const project = await readProject(db);
  const downstream = new Set(["int_customer_clv_predicted"]);
  const rebuild = project.filter((m) => {
    if (m.name === "int_customer_clv_predicted" || ![...m.dependsOn, ...m.sources].some((d) => downstream.has(d))) return false;
    downstream.add(m.name);
    return true;
  });
  await buildModels(db, rebuild);
}

async function loadFixture(db: DuckDBConnection): Promise<DuckDBConnection> {
  await insertRows(db, "raw_customers", customers);
  await insertRows(db, "raw_orders", orders);
  await insertRows(db, "raw_contracts", contracts);
  await insertRows(db, "raw_survey_responses", surveys);
  await insertRows(db, "raw_tickets", tickets);
  await insertRows(db, "raw_loyalty_events", loyaltyEvents);
  await buildWith(db, predicted);
  return db;
}

const MARTS = [
  "customer_ltv", "retention_cohorts", "repurchase_rate", "renewal_rate", "churn_monthly", "churn_cohorts",
  "churn_survival", "winback", "churn_early_warning", "customer_segments", "value_tier_summary", "profile_completeness",
];

const INTERMEDIATES = [
  "int_orders_classified", "int_customer_purchase_days", "int_customer_orders_summarized", "int_calendar_months",
  "int_customer_activity_timelines", "int_customer_activity_spells",
];

/** Run every check of the contracts (sql/<layer>/<name>.yml) of the value marts and their intermediates; returns the failures. */
async function contractFailures(db: DuckDBConnection): Promise<unknown[]> {
  const names = [...MARTS, ...INTERMEDIATES];
  const marts = (await readProject(db)).filter((m) => names.includes(m.name));
  expect(marts.filter((m) => m.contract).map((m) => m.name).sort()).toEqual(names.sort());
  const failures: unknown[] = [];
  for (const m of marts) {
    for (const c of contractChecks(m)) {
      const bad = await queryRows(db, c.sql, c.params);
      if (bad.length > 0) failures.push({ model: m.name, check: c.check, rows: bad.slice(0, 3) });
    }
  }
  return failures;
}

/** Rows with every number rounded to 6 decimals, so ratios compare exactly with hand-written fractions. */
async function rows(db: DuckDBConnection, sql: string, params?: DuckDBValue[]): Promise<Record<string, unknown>[]> {
  const result = await queryRows(db, sql, params);
  return result.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? round(v) : v])));
}
const round = (x: number) => Math.round(x * 1e6) / 1e6;

describe("customer-value marts on the hand-computed fixture", () => {
  // These tests only read the marts, so they share one build (the fixture takes ~2 s to build on
  // two busy cores); the warehouse is opened and closed here exactly as freshWarehouse() does.
  let shared: Warehouse | undefined;
  beforeAll(async () => {
    shared = await openWarehouse(":memory:");
    await ensureRawTables(shared.db);
    await writeConfigTables(shared.db, LensConfig.parse({}));
    await loadFixture(shared.db);
  });
  afterAll(() => shared?.close());
  const fixtureWarehouse = async () => shared!.db;

  test("as_of, customer_ltv: historical value, predicted columns joined, no purchase → nulls", async () => {
    const db = await fixtureWarehouse();
    expect(await rows(db, "select * from int_as_of")).toEqual([{ as_of_date: "2024-12-31", as_of_at: "2024-12-31 10:00:00" }]);

    const ltv = await rows(
      db,
      `select customer_id, customer_type, orders, purchase_days, net_revenue, first_order_date, last_order_date, tenure_days,
              avg_order_value, p_alive, predicted_clv
       from customer_ltv order by customer_id`,
    );
    const r = (customer_id: string, customer_type: string, orders: number, purchase_days: number, net_revenue: number, first: string | null, last: string | null, tenure: number | null, aov: number | null, p_alive: number | null = null, clv: number | null = null) =>
      ({ customer_id, customer_type, orders, purchase_days, net_revenue, first_order_date: first, last_order_date: last, tenure_days: tenure, avg_order_value: aov, p_alive, predicted_clv: clv });
    expect(ltv).toEqual([
      r("C01", "ToC", 4, 4, 950, "2024-01-31", "2024-08-01", 335, 237.5, 0.2, 50),
      r("C02", "ToC", 2, 1, 120, "2024-01-10", "2024-01-10", 356, 60, 0.05, 1),
      r("C03", "ToC", 1, 1, 80, "2024-06-05", "2024-06-05", 209, 80),
      r("C04", "ToC", 5, 5, 6200, "2024-02-10", "2024-12-20", 325, 1240, 0.95, 3000),
      r("C05", "ToB", 1, 1, 12000, "2024-03-01", "2024-03-01", 305, 12000),
      r("C06", "ToB", 2, 2, 27000, "2024-06-01", "2024-09-15", 213, 13500),
      r("C07", "ToC", 0, 0, 0, null, null, null, null),
      r("C08", "ToC", 7, 7, 2000, "2024-01-05", "2024-12-01", 361, round(2000 / 7), 0.8, 900),
      r("C09", "ToC", 6, 6, 600, "2024-01-20", "2024-09-01", 346, 100),
      r("C10", "ToC", 1, 1, 60, "2024-12-05", "2024-12-05", 26, 60),
      r("C11", "ToC", 3, 3, 650, "2024-08-15", "2024-11-25", 138, round(650 / 3)),
      r("C12", "ToB", 0, 0, 0, null, null, null, null),
      r("C13", "ToC", 4, 3, 1300, "2024-07-01", "2024-12-10", 183, 325, 0.3, 400),
    ]);
  });

  test("retention_cohorts: month boundary in Asia/Shanghai, cancelled orders inactive, revenue retention, filters", async () => {
    const db = await fixtureWarehouse();
    const all = await rows(
      db,
      `select cohort_month, months_since_first, cohort_customers, active_customers, retention_rate, revenue, revenue_retention
       from retention_cohorts where customer_type = 'all' and acquisition_channel = 'all' and tier = 'all'
       order by cohort_month, months_since_first`,
    );
    // Jan cohort: C01 (Jan 31 23:59), C02, C08, C09. C01's 00:00 Feb 1 order is month 1; C02's Feb order is cancelled.
    const jan = [
      [0, 4, 620], [1, 2, 300], [2, 3, 750], [3, 1, 200], [4, 1, 100], [5, 2, 700],
      [6, 0, 0], [7, 2, 500], [8, 1, 100], [9, 1, 150], [10, 0, 0], [11, 1, 250],
    ].map(([k, active, revenue]) => ({
      cohort_month: "2024-01-01", months_since_first: k, cohort_customers: 4, active_customers: active,
      retention_rate: round(active / 4), revenue, revenue_retention: round(revenue / 620),
    }));
    expect(all.filter((x) => x.cohort_month === "2024-01-01")).toEqual(jan);
    // Feb cohort (C04): active in Feb, May, Jul, Oct, Dec.
    expect(all.filter((x) => x.cohort_month === "2024-02-01").map((x) => x.active_customers)).toEqual([1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 1]);
    // Cohort sizes and row counts: one row per month from the cohort month to Dec 2024.
    const sizes = new Map<string, { customers: unknown; months: number }>();
    for (const x of all) sizes.set(String(x.cohort_month), { customers: x.cohort_customers, months: (sizes.get(String(x.cohort_month))?.months ?? 0) + 1 });
    expect(Object.fromEntries(sizes)).toEqual({
      "2024-01-01": { customers: 4, months: 12 },
      "2024-02-01": { customers: 1, months: 11 },
      "2024-03-01": { customers: 1, months: 10 },
      "2024-06-01": { customers: 2, months: 7 },
      "2024-07-01": { customers: 1, months: 6 },
      "2024-08-01": { customers: 1, months: 5 },
      "2024-12-01": { customers: 1, months: 1 },
    });
    // Filter slices: ToB only (Jun cohort = C06) and online Jan cohort (C01, C08).
    expect(
      await rows(db, `select months_since_first, cohort_customers, active_customers, revenue from retention_cohorts
        where cohort_month = '2024-06-01' and customer_type = 'ToB' and acquisition_channel = 'all' and tier = 'all' order by 1`),
    ).toEqual([[0, 1, 24000], [1, 0, 0], [2, 0, 0], [3, 1, 3000], [4, 0, 0], [5, 0, 0], [6, 0, 0]].map(([m, a, rev]) => ({ months_since_first: m, cohort_customers: 1, active_customers: a, revenue: rev })));
    expect(
      await rows(db, `select months_since_first, active_customers, revenue, revenue_retention from retention_cohorts
        where cohort_month = '2024-01-01' and customer_type = 'all' and acquisition_channel = 'online' and tier = 'all' and months_since_first <= 3 order by 1`),
    ).toEqual([
      { months_since_first: 0, active_customers: 2, revenue: 400, revenue_retention: 1 },
      { months_since_first: 1, active_customers: 1, revenue: 200, revenue_retention: 0.5 },
      { months_since_first: 2, active_customers: 2, revenue: 650, revenue_retention: 1.625 },
      { months_since_first: 3, active_customers: 1, revenue: 200, revenue_retention: 0.5 },
    ]);
    // A customer without a loyalty tier lands in 'none', not dropped: C05 (Mar), C03 and C06 (Jun), C10 (Dec).
    expect(
      await rows(db, `select cohort_month, cohort_customers from retention_cohorts
        where tier = 'none' and customer_type = 'all' and acquisition_channel = 'all' and months_since_first = 0 order by 1`),
    ).toEqual([
      { cohort_month: "2024-03-01", cohort_customers: 1 },
      { cohort_month: "2024-06-01", cohort_customers: 2 },
      { cohort_month: "2024-12-01", cohort_customers: 1 },
    ]);
  });

  test("repurchase_rate (same day counts once) and renewal_rate (cancelled contracts never due)", async () => {
    const db = await fixtureWarehouse();
    const all = await rows(db, "select month_start, buyers, repeat_buyers, repurchase_rate from repurchase_rate where tier = 'all' order by 1");
    const months = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"];
    const buyers = [4, 5, 5, 5, 5, 6, 7, 8, 8, 8, 8, 9];
    const repeat = [0, 2, 3, 3, 4, 4, 4, 4, 5, 6, 6, 6];
    expect(all).toEqual(months.map((m, i) => ({ month_start: `2024-${m}-01`, buyers: buyers[i], repeat_buyers: repeat[i], repurchase_rate: round(repeat[i] / buyers[i]) })));
    expect(await rows(db, "select tier, buyers, repeat_buyers from repurchase_rate where month_start = '2024-12-01' order by tier")).toEqual([
      { tier: "all", buyers: 9, repeat_buyers: 6 },
      { tier: "basic", buyers: 1, repeat_buyers: 1 },
      { tier: "gold", buyers: 3, repeat_buyers: 3 },
      { tier: "none", buyers: 2, repeat_buyers: 0 },
      { tier: "silver", buyers: 2, repeat_buyers: 1 },
      { tier: "vip", buyers: 1, repeat_buyers: 1 },
    ]);

    expect(await rows(db, "select * from renewal_rate order by due_month")).toEqual([
      { due_month: "2023-12-01", contracts_due: 1, contracts_renewed: 1, renewal_rate: 1, due_annual_value: 10000, renewed_annual_value: 11000, value_renewal_rate: 1.1, is_complete: true },
      { due_month: "2024-05-01", contracts_due: 1, contracts_renewed: 1, renewal_rate: 1, due_annual_value: 20000, renewed_annual_value: 24000, value_renewal_rate: 1.2, is_complete: true },
      { due_month: "2024-08-01", contracts_due: 1, contracts_renewed: 0, renewal_rate: 0, due_annual_value: 8000, renewed_annual_value: 0, value_renewal_rate: 0, is_complete: true },
      { due_month: "2024-12-01", contracts_due: 1, contracts_renewed: 0, renewal_rate: 0, due_annual_value: 11000, renewed_annual_value: 0, value_renewal_rate: 0, is_complete: true },
    ]);
  });

  test("repurchase_rate honours repurchase_window_days (90: Oct 1 and Sep 1 fall just outside)", async () => {
    const db = await loadFixture((await freshWarehouse({ metrics: { repurchase_window_days: 90 } })).db);
    expect(
      await rows(db, "select month_start, window_start, window_end, buyers, repeat_buyers from repurchase_rate where tier = 'all' and month_start >= '2024-11-01' order by 1"),
    ).toEqual([
      // Sep 2 – Nov 30: C04 (Oct 1), C08 (Oct 15), C11 (Oct 1, Nov 25), C13 (Sep 10); C09's Sep 1 is out.
      { month_start: "2024-11-01", window_start: "2024-09-02", window_end: "2024-11-30", buyers: 4, repeat_buyers: 1 },
      // Oct 3 – Dec 31: C04 (Dec 20; Oct 1 out), C08 (Oct 15, Dec 1), C10, C11 (Nov 25), C13 (Dec 10).
      { month_start: "2024-12-01", window_start: "2024-10-03", window_end: "2024-12-31", buyers: 5, repeat_buyers: 1 },
    ]);
  });

  test("churn_monthly, churn_cohorts, winback: 90 days without purchase or interaction", async () => {
    const db = await fixtureWarehouse();
    const monthly = await rows(db, "select month_start, active_at_start, churned_customers, churn_rate, new_customers, reactivated_customers from churn_monthly where customer_type = 'all' order by 1");
    const m = (month: string, active: number, churned: number, fresh: number, reactivated: number) => ({
      month_start: `2024-${month}-01`, active_at_start: active, churned_customers: churned,
      churn_rate: active === 0 ? null : round(churned / active), new_customers: fresh, reactivated_customers: reactivated,
    });
    expect(monthly).toEqual([
      m("01", 0, 0, 4, 0),
      m("02", 4, 0, 1, 0),
      m("03", 5, 0, 1, 0),
      m("04", 6, 0, 0, 0),
      m("05", 6, 2, 0, 0), // C02 and C05 on May 30
      m("06", 4, 1, 2, 0), // C01 on Jun 13
      m("07", 5, 0, 1, 0),
      m("08", 6, 1, 1, 1), // C06 on Aug 30; C01 back Aug 1
      m("09", 7, 0, 0, 1), // C06 back Sep 15
      m("10", 8, 1, 0, 0), // C01 again on Oct 30
      m("11", 7, 1, 0, 0), // C03 on Nov 18
      m("12", 6, 2, 1, 2), // C13 (91-day gap) Dec 9, C06 Dec 14; C13 back Dec 10, C05 back by ticket Dec 31
    ]);
    expect(await rows(db, "select month_start, active_at_start, churned_customers, churn_rate from churn_monthly where customer_type = 'ToB' and month_start in ('2024-05-01', '2024-12-01') order by 1")).toEqual([
      { month_start: "2024-05-01", active_at_start: 1, churned_customers: 1, churn_rate: 1 },
      { month_start: "2024-12-01", active_at_start: 1, churned_customers: 1, churn_rate: 1 },
    ]);

    const cohorts = await rows(db, "select cohort_month, months_since_first, churned_customers, cumulative_churned, cumulative_churn_rate from churn_cohorts where customer_type = 'all' and churned_customers > 0 order by 1, 2");
    expect(cohorts).toEqual([
      { cohort_month: "2024-01-01", months_since_first: 4, churned_customers: 1, cumulative_churned: 1, cumulative_churn_rate: 0.25 },
      { cohort_month: "2024-01-01", months_since_first: 5, churned_customers: 1, cumulative_churned: 2, cumulative_churn_rate: 0.5 },
      { cohort_month: "2024-03-01", months_since_first: 2, churned_customers: 1, cumulative_churned: 1, cumulative_churn_rate: 1 },
      { cohort_month: "2024-06-01", months_since_first: 2, churned_customers: 1, cumulative_churned: 1, cumulative_churn_rate: 0.5 },
      { cohort_month: "2024-06-01", months_since_first: 5, churned_customers: 1, cumulative_churned: 2, cumulative_churn_rate: 1 },
      { cohort_month: "2024-07-01", months_since_first: 5, churned_customers: 1, cumulative_churned: 1, cumulative_churn_rate: 1 },
    ]);
    expect(await rows(db, "select cumulative_churned from churn_cohorts where customer_type = 'all' and cohort_month = '2024-01-01' and months_since_first = 11")).toEqual([{ cumulative_churned: 2 }]);

    expect(await rows(db, "select churn_month, churned_customers, window_closed_customers, won_back_customers, winback_rate, won_back_so_far from winback where customer_type = 'all' order by 1")).toEqual([
      { churn_month: "2024-05-01", churned_customers: 2, window_closed_customers: 2, won_back_customers: 0, winback_rate: 0, won_back_so_far: 0 },
      { churn_month: "2024-06-01", churned_customers: 1, window_closed_customers: 1, won_back_customers: 1, winback_rate: 1, won_back_so_far: 0 },
      { churn_month: "2024-08-01", churned_customers: 1, window_closed_customers: 1, won_back_customers: 1, winback_rate: 1, won_back_so_far: 0 },
      { churn_month: "2024-10-01", churned_customers: 1, window_closed_customers: 0, won_back_customers: 0, winback_rate: null, won_back_so_far: 0 },
      { churn_month: "2024-11-01", churned_customers: 1, window_closed_customers: 0, won_back_customers: 0, winback_rate: null, won_back_so_far: 0 },
      { churn_month: "2024-12-01", churned_customers: 2, window_closed_customers: 0, won_back_customers: 0, winback_rate: null, won_back_so_far: 1 },
    ]);
  });

  test("churn_survival: Kaplan–Meier with censoring and Greenwood interval", async () => {
    const db = await fixtureWarehouse();
    // Durations (whole months): events C05 2, C06 2, C01 4, C02 4, C03 5, C13 5; censored C10 0, C11 4, C04 10, C08 11, C09 11.
    const km = await rows(db, "select months_since_first, at_risk, churned, censored, survival from churn_survival where segment_kind = 'all' order by 1");
    const expected = [
      [0, 11, 0, 1, 1], [1, 10, 0, 0, 1], [2, 10, 2, 0, 0.8], [3, 8, 0, 0, 0.8], [4, 8, 2, 1, 0.6], [5, 5, 2, 0, 0.36],
      [6, 3, 0, 0, 0.36], [7, 3, 0, 0, 0.36], [8, 3, 0, 0, 0.36], [9, 3, 0, 0, 0.36], [10, 3, 0, 1, 0.36], [11, 2, 0, 2, 0.36],
    ].map(([t, n, d, c, s]) => ({ months_since_first: t, at_risk: n, churned: d, censored: c, survival: s }));
    expect(km).toEqual(expected);
    // Greenwood at t = 5: Σ d/(n(n−d)) = 2/80 + 2/48 + 2/15 = 0.2; se = 0.36 √0.2.
    const [ci] = await rows(db, "select survival_ci_low, survival_ci_high from churn_survival where segment_kind = 'all' and months_since_first = 5");
    expect(ci.survival_ci_low).toBeCloseTo(0.36 - 1.96 * 0.36 * Math.sqrt(0.2), 6);
    expect(ci.survival_ci_high).toBeCloseTo(0.36 + 1.96 * 0.36 * Math.sqrt(0.2), 6);
    // The ToB curve: both churn in month 2, so survival reaches 0 and the interval is undefined.
    expect(await rows(db, "select months_since_first, at_risk, churned, survival, survival_ci_low from churn_survival where segment = 'ToB' order by 1")).toEqual([
      { months_since_first: 0, at_risk: 2, churned: 0, survival: 1, survival_ci_low: 1 },
      { months_since_first: 1, at_risk: 2, churned: 0, survival: 1, survival_ci_low: 1 },
      { months_since_first: 2, at_risk: 2, churned: 2, survival: 0, survival_ci_low: null },
    ]);
    expect(await rows(db, "select segment, customers from churn_survival where segment_kind = 'cohort' and months_since_first = 0 order by 1")).toEqual([
      { segment: "2024-01", customers: 4 }, { segment: "2024-02", customers: 1 }, { segment: "2024-03", customers: 1 },
      { segment: "2024-06", customers: 2 }, { segment: "2024-07", customers: 1 }, { segment: "2024-08", customers: 1 }, { segment: "2024-12", customers: 1 },
    ]);
  });

  test("customer_segments: RFM quintiles with id tie-break, named segments, value tier, lifecycle", async () => {
    const db = await fixtureWarehouse();
    const seg = await rows(db, "select customer_id, recency_days, frequency, monetary, rfm_cell, rfm_segment, value_tier, lifecycle_stage from customer_segments order by customer_id");
    const s = (customer_id: string, recency_days: number | null, frequency: number, monetary: number, rfm_cell: string | null, rfm_segment: string | null, value_tier: string, lifecycle_stage: string) =>
      ({ customer_id, recency_days, frequency, monetary, rfm_cell, rfm_segment, value_tier, lifecycle_stage });
    // ToC quintiles over 9 buyers (groups of 2,2,2,2,1). R by recency desc: C02 C03 | C01 C09 | C11 C08 | C10 C13 | C04.
    // F by purchase days: C02 C03 | C10 C11 | C13 C01 | C04 C09 | C08. M by revenue: C10 C03 | C02 C09 | C11 C01 | C13 C08 | C04.
    // ToB has 2 buyers: scores 1 and 2.
    expect(seg).toEqual([
      s("C01", 152, 4, 950, "233", "At Risk", "potential", "churned"),
      s("C02", 356, 1, 120, "112", "Hibernating", "basic", "churned"),
      s("C03", 209, 1, 80, "111", "Hibernating", "basic", "churned"),
      s("C04", 11, 5, 6200, "545", "Champions", "core", "mature"),
      s("C05", 305, 1, 12000, "111", "Hibernating", "potential", "decline"),
      s("C06", 107, 2, 27000, "222", "Hibernating", "potential", "churned"),
      s("C07", null, 0, 0, null, null, "basic", "acquisition"),
      s("C08", 30, 7, 2000, "354", "Loyal", "potential", "mature"),
      s("C09", 121, 6, 600, "242", "At Risk", "potential", "decline"),
      s("C10", 26, 1, 60, "421", "Potential Loyalist", "basic", "acquisition"),
      s("C11", 36, 3, 650, "323", "About to Sleep", "potential", "growth"),
      s("C12", null, 0, 0, null, null, "basic", "acquisition"),
      s("C13", 21, 3, 1300, "434", "Potential Loyalist", "potential", "growth"),
    ]);
    expect(await rows(db, "select customer_id, purchase_days_recent, purchase_days_prior, days_since_last_activity from customer_segments where customer_id in ('C04', 'C08', 'C09', 'C13') order by 1")).toEqual([
      { customer_id: "C04", purchase_days_recent: 3, purchase_days_prior: 2, days_since_last_activity: 1 },
      { customer_id: "C08", purchase_days_recent: 3, purchase_days_prior: 3, days_since_last_activity: 16 },
      { customer_id: "C09", purchase_days_recent: 1, purchase_days_prior: 5, days_since_last_activity: 41 },
      { customer_id: "C13", purchase_days_recent: 2, purchase_days_prior: 1, days_since_last_activity: 21 },
    ]);
  });

  test("value_tier_summary and profile_completeness", async () => {
    const db = await fixtureWarehouse();
    const t = (customer_type: string, value_tier: string, customers: number, total_customers: number, revenue: number, total_revenue: number) => ({
      customer_type, value_tier, customers, total_customers, customer_share: round(customers / total_customers), revenue, total_revenue, revenue_share: round(revenue / total_revenue),
    });
    expect(await rows(db, "select * from value_tier_summary order by customer_type, value_tier")).toEqual([
      t("ToB", "basic", 0, 2, 0, 39000),
      t("ToB", "core", 0, 2, 0, 39000),
      t("ToB", "potential", 2, 2, 39000, 39000),
      t("ToC", "basic", 3, 9, 260, 11960),
      t("ToC", "core", 1, 9, 6200, 11960),
      t("ToC", "potential", 5, 9, 5500, 11960),
      t("all", "basic", 3, 11, 260, 50960),
      t("all", "core", 1, 11, 6200, 50960),
      t("all", "potential", 7, 11, 44500, 50960),
    ]);
    expect(await rows(db, "select * from profile_completeness order by customer_type")).toEqual([
      { customer_type: "ToB", customers: 3, complete_customers: 1, completeness_rate: round(1 / 3), with_contact: 2, with_name: 3, with_city: 2, with_region: 1 },
      { customer_type: "ToC", customers: 10, complete_customers: 7, completeness_rate: 0.7, with_contact: 9, with_name: 9, with_city: 9, with_region: 10 },
      { customer_type: "all", customers: 13, complete_customers: 8, completeness_rate: round(8 / 13), with_contact: 11, with_name: 12, with_city: 11, with_region: 11 },
    ]);
  });

  test("every value model's contract holds on the fixture: keys, not-null, accepted values, assertions", async () => {
    expect(await contractFailures(await fixtureWarehouse())).toEqual([]);
  });

  test("churn_early_warning: reasons, value at risk, rank and hours since the warning fired", async () => {
    const db = await fixtureWarehouse();
    const list = await rows(db, "select customer_id, reasons, reason_count, value_at_risk, risk_rank, warning_fired_at, hours_since_warning, advisor_overdue from churn_early_warning order by risk_rank");
    const w = (customer_id: string, reasons: string, reason_count: number, value_at_risk: number, risk_rank: number, warning_fired_at: string, hours_since_warning: number, advisor_overdue: boolean) =>
      ({ customer_id, reasons, reason_count, value_at_risk, risk_rank, warning_fired_at, hours_since_warning, advisor_overdue });
    expect(list).toEqual([
      w("C06", "inactive", 1, 27000, 1, "2024-12-14 00:00:00", 17 * 24 + 10, true),
      w("C04", "unresolved_complaint", 1, 6200, 2, "2024-12-30 09:00:00", 25, true),
      w("C08", "negative_feedback", 1, 2000, 3, "2024-12-15 14:00:00", 380, true),
      // P(alive) fell below 0.5 one week before the as-of date (Dec 31, 00:00); as_of_at is Dec 31, 10:00.
      w("C13", "low_p_alive", 1, 1300, 4, "2024-12-24 00:00:00", 7 * 24 + 10, true),
      // Below 0.5 since Dec 27, 12:00 (half a week), but inactive since Oct 30: the earliest reason counts.
      w("C01", "inactive, low_p_alive", 2, 950, 5, "2024-10-30 00:00:00", 62 * 24 + 10, true),
      w("C03", "inactive", 1, 80, 6, "2024-11-18 00:00:00", 43 * 24 + 10, true),
    ]);
  });
});

describe("customer-value marts on edge inputs", () => {
  test("repurchase_rate agrees with the naive definition (count purchase days inside each window) at 31 days", async () => {
    const { db } = await freshWarehouse({ metrics: { repurchase_window_days: 31 } });
    await loadFixture(db);
    // The mart avoids expanding every purchase into every window; this query does exactly that.
    const naive = await rows(
      db,
      `with windows as (select month_start, period_end - 30 as window_start, period_end from int_calendar_months),
       per_customer as (
         select w.month_start, d.customer_id, coalesce(any_value(c.tier), 'none') as tier, count(*) as days
         from windows as w
         join int_customer_purchase_days as d on d.purchase_date between w.window_start and w.period_end
         join stg_customers as c on c.customer_id = d.customer_id and c.customer_type = 'ToC'
         group by w.month_start, d.customer_id
       )
       select month_start, coalesce(tier, 'all') as tier, count(*) as buyers, count(*) filter (where days >= 2) as repeat_buyers
       from per_customer group by grouping sets ((month_start), (month_start, tier)) order by 1, 2`,
    );
    const mart = await rows(db, "select month_start, tier, buyers, repeat_buyers from repurchase_rate where buyers > 0 order by 1, 2");
    expect(mart).toEqual(naive);
    // February's window is Jan 30 – Feb 29: C01 (Jan 31 23:59, Feb 1 00:00) repeats; C04 (Feb 10) and C09 (Feb 15) buy once.
    expect(await rows(db, "select buyers, repeat_buyers from repurchase_rate where month_start = '2024-02-01' and tier = 'all'")).toEqual([{ buyers: 3, repeat_buyers: 1 }]);
  });

  test("churn_days comes from config: at 120 days C06 (107 days quiet) is no longer at risk or churned", async () => {
    const { db } = await freshWarehouse({ metrics: { churn_days: 120 } });
    await loadFixture(db);
    expect(await rows(db, "select customer_id, reasons, risk_rank, warning_fired_at, hours_since_warning from churn_early_warning order by risk_rank")).toEqual([
      { customer_id: "C04", reasons: "unresolved_complaint", risk_rank: 1, warning_fired_at: "2024-12-30 09:00:00", hours_since_warning: 25 },
      { customer_id: "C08", reasons: "negative_feedback", risk_rank: 2, warning_fired_at: "2024-12-15 14:00:00", hours_since_warning: 380 },
      { customer_id: "C13", reasons: "low_p_alive", risk_rank: 3, warning_fired_at: "2024-12-24 00:00:00", hours_since_warning: 7 * 24 + 10 },
      // Aug 1 + 120 days = Nov 29; Aug 20 + 120 days = Dec 18.
      { customer_id: "C01", reasons: "inactive, low_p_alive", risk_rank: 4, warning_fired_at: "2024-11-29 00:00:00", hours_since_warning: 32 * 24 + 10 },
      { customer_id: "C03", reasons: "inactive", risk_rank: 5, warning_fired_at: "2024-12-18 00:00:00", hours_since_warning: 13 * 24 + 10 },
    ]);
    // C06: 6 whole months since Jun 1, one purchase day in each half-year → mature; C13's 91-day gap no longer churns.
    expect(await rows(db, "select customer_id, lifecycle_stage from customer_segments where customer_id in ('C06', 'C13') order by 1")).toEqual([
      { customer_id: "C06", lifecycle_stage: "mature" },
      { customer_id: "C13", lifecycle_stage: "growth" },
    ]);
    expect(await rows(db, "select customer_id, spell_number, churn_date, is_churned from int_customer_activity_spells where customer_id in ('C06', 'C13') order by 1, 2")).toEqual([
      { customer_id: "C06", spell_number: 1, churn_date: "2025-01-13", is_churned: false },
      { customer_id: "C13", spell_number: 1, churn_date: "2025-04-09", is_churned: false },
    ]);
  });

  test("an empty warehouse builds every mart: no rows, or zero counts with null ratios", async () => {
    const { db } = await freshWarehouse();
    await buildWith(db, []);
    expect(await rows(db, "select * from int_as_of")).toEqual([{ as_of_date: null, as_of_at: null }]);
    for (const mart of MARTS.filter((m) => m !== "value_tier_summary" && m !== "profile_completeness")) {
      expect(await rows(db, `select count(*) as n from ${mart}`), mart).toEqual([{ n: 0 }]);
    }
    expect(await rows(db, "select value_tier, customers, customer_share, revenue_share from value_tier_summary order by value_tier")).toEqual([
      { value_tier: "basic", customers: 0, customer_share: null, revenue_share: null },
      { value_tier: "core", customers: 0, customer_share: null, revenue_share: null },
      { value_tier: "potential", customers: 0, customer_share: null, revenue_share: null },
    ]);
    expect(await rows(db, "select customer_type, customers, completeness_rate from profile_completeness")).toEqual([{ customer_type: "all", customers: 0, completeness_rate: null }]);
    expect(await contractFailures(db)).toEqual([]);
  });

  test("no mart exposes a personal-data column", async () => {
    const { db } = await freshWarehouse();
    await buildWith(db, []);
    const cols = await rows(
      db,
      `select table_name, column_name from information_schema.columns
       where table_name in (select unnest($1::varchar[])) and column_name in ('name', 'company_name', 'phone', 'email', 'address')`,
      [listValue(MARTS)],
    );
    expect(cols).toEqual([]);
  });

  test("the timelines' order assertion catches a repeated or out-of-order day and passes a clean list", async () => {
    const { db } = await freshWarehouse();
    const model = (await readProject(db, "sql", { checkSources: false })).find((m) => m.name === "int_customer_activity_timelines")!;
    const assertion = contractChecks(model).find((c) => c.check === "assertion: every day appears once, in ascending order")!;
    await db.run(`create table int_customer_activity_timelines as select * from (values
      ('ok', [date '2024-01-01', date '2024-01-05'], [date '2024-01-01']),
      ('one', [date '2024-01-01'], [date '2024-01-01']),
      ('repeat', [date '2024-01-01', date '2024-01-01'], [date '2024-01-01']),
      ('order', [date '2024-01-05', date '2024-01-01'], [date '2024-01-05']),
      ('purchases', [date '2024-01-01', date '2024-01-05'], [date '2024-01-05', date '2024-01-01'])
    ) as t(customer_id, activity_dates, purchase_dates)`);
    const bad = await queryRows<{ customer_id: string }>(db, `select customer_id from (${assertion.sql}) order by customer_id`);
    expect(bad.map((r) => r.customer_id)).toEqual(["order", "purchases", "repeat"]);
  });
});
