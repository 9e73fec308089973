import type { DuckDBConnection } from "@duckdb/node-api";
import { queryRows } from "../warehouse/query.ts";
import { rfmGroups, type RfmGroups } from "./bgnbd.ts";
import { spendGroups, type SpendGroups } from "./gamma-gamma.ts";

/** Days per model time unit: BG/NBD and CLV work in weeks. */
export const DAYS_PER_WEEK = 7;

/**
 * Per-customer sufficient statistics at a calibration end date (bound as $calibration_end), from stg_orders.
 * grain: one row per customer with a purchase on or before the calibration end; key: customer_id.
 * A transaction is a purchase day: the days with a purchase order (status neither 'cancelled' nor 'refunded',
 * the rule of int_orders_classified.is_purchase), same-day orders merged into one transaction worth their
 * summed net_amount. A zero-value purchase (a free order; CDNOW has 80) is still a purchase.
 * frequency = transactions − 1 (repeat transactions, x); recency_days = last − first transaction day (t_x);
 * age_days = calibration end − first transaction day (T); avg_repeat_value = mean value of the repeat
 * transactions (the first is excluded; null when frequency = 0).
 */
export const CUSTOMER_STATISTICS_SQL = `
with orders as (
  select customer_id, order_date, net_amount
  from stg_orders
  where status not in ('cancelled', 'refunded')
    and order_date <= cast($calibration_end as date)
),

purchase_days as (
  select customer_id, order_date, sum(net_amount) as day_value
  from orders
  group by customer_id, order_date
),

with_first as (
  select *, min(order_date) over (partition by customer_id) as first_date
  from purchase_days
),

final as (
  select
    customer_id,
    count(*) - 1 as frequency,
    date_diff('day', min(order_date), max(order_date)) as recency_days,
    date_diff('day', min(order_date), cast($calibration_end as date)) as age_days,
    avg(day_value) filter (where order_date > first_date) as avg_repeat_value
  from with_first
  group by customer_id
)

select * from final`;

/** Customer types fitted separately when they have enough repeat customers (stg_customers.customer_type). */
export const CLV_SEGMENTS = ["ToC", "ToB"] as const;
export type ClvSegment = (typeof CLV_SEGMENTS)[number];
/** A segment name as `lens clv fit --segment` takes it: one customer type, or all customers pooled. */
export type SegmentChoice = ClvSegment | "all";
/** The pooled fit's segment label. */
export const POOLED = "all";

/**
 * CUSTOMER_STATISTICS_SQL plus `segment`: the customer's stg_customers.customer_type ('ToC', 'ToB'), null for
 * a customer the CRM does not know or when the warehouse has no stg_customers (e.g. CDNOW, orders only).
 */
export function segmentedStatisticsSql(hasCustomers: boolean): string {
  if (!hasCustomers) return `select *, cast(null as varchar) as segment from (${CUSTOMER_STATISTICS_SQL})`;
  return `
with stats as (${CUSTOMER_STATISTICS_SQL}),

customer_types as (
  select customer_id, max(customer_type) as customer_type
  from stg_customers
  group by customer_id
),

final as (
  select stats.*, customer_types.customer_type as segment
  from stats
  left join customer_types using (customer_id)
)

select * from final`;
}

/** Whether the warehouse has stg_customers (table or view), which segment fits need. */
export async function hasCustomerTypes(db: DuckDBConnection): Promise<boolean> {
  const rows = await queryRows(
    db,
    "select 1 as found from information_schema.tables where table_catalog = current_database() and table_schema = 'main' and table_name = 'stg_customers'",
  );
  return rows.length > 0;
}

/**
 * The statistics SQL for one segment choice: all customers, or those of one customer type (bound as
 * $segment). Throws, naming the option, when a type is asked for and there is no stg_customers.
 */
async function statisticsFor(db: DuckDBConnection, segment: SegmentChoice): Promise<{ sql: string; params: Record<string, string> }> {
  if (segment === POOLED) return { sql: CUSTOMER_STATISTICS_SQL, params: {} };
  if (!(await hasCustomerTypes(db))) {
    throw new Error(`--segment ${segment} needs stg_customers (customer_type) in the warehouse; load customers or use --segment all`);
  }
  return { sql: `select * from (${segmentedStatisticsSql(true)}) where segment = $segment`, params: { segment } };
}

/**
 * Repeat transactions per customer in the holdout window (calibration end, holdout end], for the
 * customers of CUSTOMER_STATISTICS_SQL (first purchase on or before the calibration end). Same definition
 * of a transaction. Binds $calibration_end and $holdout_end.
 */
const holdoutSql = (statistics: string) => `
with stats as (${statistics}),

holdout_days as (
  select customer_id, count(distinct order_date) as holdout_transactions
  from stg_orders
  where status not in ('cancelled', 'refunded')
    and order_date > cast($calibration_end as date)
    and order_date <= cast($holdout_end as date)
  group by customer_id
),

final as (
  select
    stats.frequency,
    stats.recency_days,
    stats.age_days,
    count(*) as customers,
    sum(coalesce(holdout_days.holdout_transactions, 0)) as holdout_transactions
  from stats
  left join holdout_days using (customer_id)
  group by all
)

select * from final order by frequency, recency_days, age_days`;

/** One (x, t_x, T) group in days, as the SQL returns it. */
export interface RfmGroupRow {
  frequency: number;
  recency_days: number;
  age_days: number;
  customers: number;
}

/** RFM groups from the warehouse: customers compressed on (x, t_x, T), with t_x and T converted to weeks. */
export async function loadRfmGroups(
  db: DuckDBConnection,
  calibrationEnd: string,
  segment: SegmentChoice = POOLED,
): Promise<{ rows: RfmGroupRow[]; groups: RfmGroups }> {
  const stats = await statisticsFor(db, segment);
  const rows = await queryRows<RfmGroupRow>(
    db,
    `with stats as (${stats.sql})
     select frequency, recency_days, age_days, count(*) as customers
     from stats group by all order by all`,
    { calibration_end: calibrationEnd, ...stats.params },
  );
  return { rows, groups: toRfmGroups(rows) };
}

/** Convert day-based rows to model groups in weeks. */
export function toRfmGroups(rows: RfmGroupRow[]): RfmGroups {
  return rfmGroups(
    rows.map((r) => ({ x: r.frequency, tx: r.recency_days / DAYS_PER_WEEK, T: r.age_days / DAYS_PER_WEEK, n: r.customers })),
  );
}

/** Spend groups: customers with x ≥ 1 compressed on (x, mean repeat value). */
export async function loadSpendGroups(db: DuckDBConnection, calibrationEnd: string, segment: SegmentChoice = POOLED): Promise<SpendGroups> {
  const stats = await statisticsFor(db, segment);
  const rows = await queryRows<{ frequency: number; avg_repeat_value: number; customers: number }>(
    db,
    `with stats as (${stats.sql})
     select frequency, avg_repeat_value, count(*) as customers
     from stats where frequency > 0 group by all order by all`,
    { calibration_end: calibrationEnd, ...stats.params },
  );
  return spendGroups(rows.map((r) => ({ x: r.frequency, m: r.avg_repeat_value, n: r.customers })));
}

/** One (x, t_x, T) group with its customers' actual repeat transactions in the holdout window. */
export interface HoldoutGroupRow extends RfmGroupRow {
  holdout_transactions: number;
}

/** Calibration groups with actual holdout transactions, for the calibration/holdout check. */
export async function loadHoldoutGroups(
  db: DuckDBConnection,
  calibrationEnd: string,
  holdoutEnd: string,
  segment: SegmentChoice = POOLED,
): Promise<HoldoutGroupRow[]> {
  const stats = await statisticsFor(db, segment);
  return queryRows<HoldoutGroupRow>(db, holdoutSql(stats.sql), { calibration_end: calibrationEnd, holdout_end: holdoutEnd, ...stats.params });
}
