import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";

/** Metric definitions the SQL models read from the `config_metrics` table. Defaults follow ../shared/KPI-CATALOGUE.md. */
export const MetricsConfig = z
  .object({
    churn_days: z.int().min(1).default(90).describe("A customer is churned after this many days without purchase or interaction."),
    winback_days: z.int().min(1).default(90).describe("A churned or warned customer who buys within this many days counts as won back."),
    repurchase_window_days: z.int().min(1).default(365).describe("Window for the repurchase rate: ≥ 2 orders in it / ≥ 1."),
    clv_horizon_months: z.int().min(1).default(12).describe("Horizon of predicted purchases and CLV."),
    clv_margin: z.number().min(0).max(1).default(0.3).describe("Gross margin applied to predicted spend."),
    clv_annual_discount_rate: z.number().min(0).max(1).default(0.1).describe("Annual discount rate for CLV."),
    core_annual_spend: z.number().min(0).default(5000).describe("Core (high-value) tier: annual spend above this (¥)…"),
    core_min_orders: z.int().min(1).default(4).describe("…and at least this many orders in the last 365 days."),
    potential_annual_spend: z.number().min(0).default(1000).describe("Potential tier: annual spend above this (¥), or ≥ 2 orders."),
    growth_months_from: z.int().default(3).describe("Lifecycle: growth stage starts this many months after first purchase."),
    mature_months_from: z.int().default(6).describe("Lifecycle: mature after this many months."),
    decline_window_days: z.int().min(1).default(180).describe("Lifecycle: decline when purchase days in the last this-many days are fewer than in the same span before."),
    warning_feedback_days: z.int().min(1).default(90).describe("Churn warning: a detractor (NPS ≤ 6) or CSAT ≤ 2 answer within this many days fires."),
    warning_p_alive_below: z.number().min(0).max(1).default(0.5).describe("Churn warning: P(alive) from the BG/NBD model below this fires."),
    advisor_response_hours: z.number().min(0).default(24).describe("Churn warning: an advisor must contact the customer within this many hours."),
    points_value: z.number().min(0).default(0.01).describe("¥ value of one point at redemption (100 points = ¥1)."),
    low_redemption_rate: z.number().min(0).max(1).default(0.2).describe("Benefits used by fewer than this share of those offered are flagged."),
    first_response_minutes: z.int().min(1).default(30).describe("Default first-response SLA in minutes."),
    resolution_hours_general: z.number().default(24).describe("Resolution SLA for general (一般) complaints."),
    resolution_hours_serious: z.number().default(48).describe("Resolution SLA for serious (严重) complaints."),
    resolution_hours_major: z.number().default(72).describe("Resolution SLA for major (重大) complaints (escalated)."),
    business_hours_start: z.int().min(0).max(23).default(9).describe("Business hours start (local hour) for the business-hours SLA option."),
    business_hours_end: z.int().min(1).max(24).default(18).describe("Business hours end (local hour)."),
    sla_business_hours: z.int().min(0).max(1).default(0).describe("1: SLA clocks count business hours only (Mon–Fri, business_hours_start–end); 0: wall clock."),
    sla_pre_sale_minutes: z.int().min(1).default(60).describe("First-response SLA for pre-sale (售前) tickets, minutes."),
    sla_after_sale_core_minutes: z.int().min(1).default(60).describe("First-response SLA for after-sale tickets of core customers, minutes."),
    sla_after_sale_basic_minutes: z.int().min(1).default(240).describe("First-response SLA for after-sale tickets of other (potential, basic) customers, minutes."),
    callback_hours: z.number().min(0).default(24).describe("A post-service callback (回访) counts when made within this many hours of resolution."),
    max_contacts_to_resolve: z.int().min(1).default(3).describe("'Resolved within N contacts' uses this N."),
    repeat_complaint_days: z.int().min(1).default(30).describe("A complaint is a repeat when the same customer complained within this many days before."),
    new_customer_days: z.int().min(1).default(90).describe("First-service CSAT of new customers: the first CSAT answer within this many days of signup or first order."),
  })
  .prefault({});
export type MetricsConfig = z.infer<typeof MetricsConfig>;

/** One KPI target. */
export const Target = z.object({
  kpi: z.string().min(1),
  label: z.string().min(1),
  target: z.number(),
  direction: z.enum(["higher", "lower"]).describe("higher: actual ≥ target is met; lower: actual ≤ target is met."),
  unit: z.enum(["score", "percent", "ratio", "minutes", "hours", "yuan", "count"]),
  period: z.enum(["month", "quarter"]).default("month"),
  at_risk_margin: z.number().min(0).default(0.05).describe("Within this relative distance of the target (on the wrong side) the status is 'at risk'."),
});
export type Target = z.infer<typeof Target>;

/** How each folder under sql/ is stored; a model's contract can override it with `materialized`. */
export const ModelsConfig = z
  .object({
    materialized: z
      .record(z.string(), z.enum(["view", "table"]))
      .default({ staging: "view", intermediate: "table", marts: "table" })
      .describe("Materialization per folder under sql/; folders not listed build tables."),
  })
  .prefault({});
export type ModelsConfig = z.infer<typeof ModelsConfig>;

/** The whole project config, `lens.config.json` at the project root. Every key is optional. */
export const LensConfig = z.object({
  warehouse: z.string().default("data/warehouse.duckdb"),
  timezone: z.string().default("Asia/Shanghai"),
  memory_limit: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'a size such as "4GB" or "512MiB"')
    .optional()
    .describe(
      "Most memory DuckDB may use in lens load, build and test, e.g. \"4GB\"; past it joins, aggregates and sorts spill to disk. Default: DuckDB's own, 80 % of the machine's RAM. Measured at 30M orders: 2GB and 4GB run as fast as no limit (docs/scaling.md).",
    ),
  metrics: MetricsConfig,
  models: ModelsConfig,
  /** Replaces the default target of a KPI with the same `kpi`, or adds one. */
  targets: z.array(Target).default([]),
});
export type LensConfig = z.infer<typeof LensConfig>;

/** Read and validate the project config; a missing file means all defaults. */
export function loadLensConfig(path = "lens.config.json"): LensConfig {
  if (!existsSync(path)) return LensConfig.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = LensConfig.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new Error(`${path} is invalid:\n${issues}`);
  }
  return parsed.data;
}
