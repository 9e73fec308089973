import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import { queryRows } from "../warehouse/query.ts";
import { rfmGroups, type RfmGroups } from "./bgnbd.ts";
import { spendGroups, type SpendGroups } from "./gamma-gamma.ts";

/** Days per model time unit: BG/NBD and CLV work in weeks. */
export const DAYS_PER_WEEK = 7;

/**
 * Purchase days as int_customer_purchase_days defines them, computed from stg_orders: for warehouses without
 * that model (an orders-only load such as CDNOW, or a test with stg_orders alone).
 * Columns: customer_id, purchase_date, day_value.
 */
const PURCHASE_DAYS_FROM_ORDERS = `
select customer_id, order_date as purchase_date, sum(net_amount) as day_value
from stg_orders
where status not in ('cancelled', 'refunded')
group by customer_id, order_date`;

/** The same from the model that materialises them (the build's source). */
const PURCHASE_DAYS_FROM_MODEL = `
select customer_id, purchase_date, net_amount as day_value
from int_customer_purchase_days`;

/**
 * Per-customer sufficient statistics at a calibration end date (bound as $calibration_end) from purchase days
 * (`purchaseDays`: customer_id, purchase_date, day_value; see purchaseDaysSql).
 * grain: one row per customer with a purchase on or before the calibration end; key: customer_id.
 * A transaction is a purchase day: the days with a purchase order (status neither 'cancelled' nor 'refunded',
 * the rule of int_orders_classified.is_purchase), same-day orders merged into one transaction worth their
 * summed net_amount (int_customer_purchase_days). A zero-value purchase (a free order; CDNOW has 80) is still a purchase.
 * frequency = transactions − 1 (repeat transactions, x); recency_days = last − first transaction day (t_x);
 * age_days = calibration end − first transaction day (T); avg_repeat_value = mean value of the repeat
 * transactions (the first is excluded; null when frequency = 0).
 */
export function customerStatisticsSql(purchaseDays: string): string {
  return `
with purchase_days as (${purchaseDays}),

calibration as (
  select * from purchase_days where purchase_date <= cast($calibration_end as date)
),

first_days as (
  select customer_id, min(purchase_date) as first_date
  from calibration
  group by customer_id
),

final as (
  select
    customer_id,
    cast(count(*) - 1 as integer) as frequency,
    cast(date_diff('day', min(purchase_date), max(purchase_date)) as integer) as recency_days,
    cast(date_diff('day', min(purchase_date), cast($calibration_end as date)) as integer) as age_days,
    -- Summed as an exact decimal, so the mean does not depend on the order rows reach the aggregate
    -- (parallel hash aggregation varies it from run to run, and a double sum with it).
    cast(sum(cast(day_value as decimal(38, 10))) filter (where purchase_date > first_date) as double)
      / nullif(count(*) - 1, 0) as avg_repeat_value
  from calibration
  inner join first_days using (customer_id)
  group by customer_id
)

select * from final`;
}

/**
 * The purchase days the statistics read: int_customer_purchase_days when the warehouse has it (a built
 * warehouse: the CLV models depend on it, so it is current), else the same computed from stg_orders.
 */
export async function purchaseDaysSql(db: DuckDBConnection): Promise<string> {
  return (await relationExists(db, "int_customer_purchase_days")) ? PURCHASE_DAYS_FROM_MODEL : PURCHASE_DAYS_FROM_ORDERS;
}

async function relationExists(db: DuckDBConnection, name: string): Promise<boolean> {
  const rows = await queryRows(
    db,
    "select 1 as found from information_schema.tables where table_catalog = current_database() and table_schema = 'main' and table_name = $name",
    { name },
  );
  return rows.length > 0;
}

/** Customer types fitted separately when they have enough repeat customers (stg_customers.customer_type). */
export const CLV_SEGMENTS = ["ToC", "ToB"] as const;
export type ClvSegment = (typeof CLV_SEGMENTS)[number];
/** A segment name as `lens clv fit --segment` takes it: one customer type, or all customers pooled. */
export type SegmentChoice = ClvSegment | "all";
/** The pooled fit's segment label. */
export const POOLED = "all";

/**
 * customerStatisticsSql plus `segment`: the customer's stg_customers.customer_type ('ToC', 'ToB'), null for
 * a customer the CRM does not know or when the warehouse has no stg_customers (e.g. CDNOW, orders only).
 */
export function segmentedStatisticsSql(hasCustomers: boolean, purchaseDays: string): string {
  const statistics = customerStatisticsSql(purchaseDays);
  if (!hasCustomers) return `select *, cast(null as varchar) as segment from (${statistics})`;
  return `
with stats as (${statistics}),

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
  return relationExists(db, "stg_customers");
}

/** One (x, t_x, T) group in days, as the SQL returns it. */
export interface RfmGroupRow {
  frequency: number;
  recency_days: number;
  age_days: number;
  customers: number;
}

/** Convert day-based rows to model groups in weeks. */
export function toRfmGroups(rows: RfmGroupRow[]): RfmGroups {
  return rfmGroups(
    rows.map((r) => ({ x: r.frequency, tx: r.recency_days / DAYS_PER_WEEK, T: r.age_days / DAYS_PER_WEEK, n: r.customers })),
  );
}

/**
 * Run a query and return its columns as arrays (numbers for INTEGER and DOUBLE, strings for VARCHAR):
 * hundreds of thousands of group rows come back far faster column by column than as row objects.
 */
export async function queryColumns(db: DuckDBConnection, sql: string, values?: Record<string, DuckDBValue>): Promise<Record<string, unknown[]>> {
  const reader = await db.runAndReadAll(sql, values);
  const names = reader.columnNames();
  const columns = reader.getColumnsJS();
  // An empty result has no column arrays at all.
  return Object.fromEntries(names.map((name, i) => [name, columns[i] ?? []]));
}

/**
 * The (x, t_x, T) groups of a per-customer statistics table (customers compressed; `where` filters it,
 * with `values` bound), with each group's actual holdout transactions when the table has them.
 */
export async function readRfmGroups(
  db: DuckDBConnection,
  table: string,
  options: { where?: string; values?: Record<string, DuckDBValue>; holdout?: boolean } = {},
): Promise<HoldoutGroupRow[]> {
  const holdout = options.holdout ? "cast(sum(holdout_transactions) as double)" : "0";
  const c = await queryColumns(
    db,
    `select frequency, recency_days, age_days, cast(count(*) as integer) as customers, ${holdout} as holdout_transactions
     from ${table} ${options.where ? `where ${options.where}` : ""}
     group by frequency, recency_days, age_days order by frequency, recency_days, age_days`,
    options.values,
  );
  return (c.frequency as number[]).map((frequency, i) => ({
    frequency,
    recency_days: c.recency_days[i] as number,
    age_days: c.age_days[i] as number,
    customers: c.customers[i] as number,
    holdout_transactions: c.holdout_transactions[i] as number,
  }));
}

/** Spend groups of a per-customer statistics table: customers with x ≥ 1 compressed on (x, mean repeat value). */
export async function readSpendGroups(
  db: DuckDBConnection,
  table: string,
  options: { where?: string; values?: Record<string, DuckDBValue> } = {},
): Promise<SpendGroups> {
  const c = await queryColumns(
    db,
    `select frequency, avg_repeat_value, cast(count(*) as integer) as customers
     from ${table} where frequency > 0 ${options.where ? `and ${options.where}` : ""}
     group by frequency, avg_repeat_value order by frequency, avg_repeat_value`,
    options.values,
  );
  const m = c.avg_repeat_value as (number | null)[];
  return spendGroups((c.frequency as number[]).map((x, i) => ({ x, m: m[i], n: c.customers[i] as number })));
}

/** One (x, t_x, T) group with its customers' actual repeat transactions in the holdout window. */
export interface HoldoutGroupRow extends RfmGroupRow {
  holdout_transactions: number;
}

/**
 * Per-customer statistics for `lens clv fit` into a temporary table: those of customerStatisticsSql for
 * one segment choice (all customers, or one customer type), plus holdout_transactions, the customer's
 * purchase days in (calibration end, holdout end] when a holdout end is given. Computed once, so the
 * BG/NBD groups, the spend groups and the holdout check read one small table instead of the orders three
 * times. Throws, naming the option, when a type is asked for and there is no stg_customers.
 */
export async function createFitStatistics(
  db: DuckDBConnection,
  table: string,
  options: { calibrationEnd: string; holdoutEnd: string | null; segment: SegmentChoice },
): Promise<void> {
  const hasCustomers = await hasCustomerTypes(db);
  if (options.segment !== POOLED && !hasCustomers) {
    throw new Error(`--segment ${options.segment} needs stg_customers (customer_type) in the warehouse; load customers or use --segment all`);
  }
  const purchaseDays = await purchaseDaysSql(db);
  const statistics = options.segment === POOLED ? customerStatisticsSql(purchaseDays) : segmentedStatisticsSql(true, purchaseDays);
  const params: Record<string, DuckDBValue> = { calibration_end: options.calibrationEnd };
  if (options.segment !== POOLED) params.segment = options.segment;
  if (options.holdoutEnd !== null) params.holdout_end = options.holdoutEnd;
  const stats = `select * from (${statistics}) ${options.segment === POOLED ? "" : "where segment = $segment"}`;
  await db.run(
    options.holdoutEnd === null
      ? `create or replace temp table ${table} as select *, 0 as holdout_transactions from (${stats})`
      : `create or replace temp table ${table} as
         with stats as (${stats}),

         holdout_days as (
           select customer_id, count(*) as holdout_transactions
           from (${purchaseDays})
           where purchase_date > cast($calibration_end as date) and purchase_date <= cast($holdout_end as date)
           group by customer_id
         ),

         final as (
           select stats.*, coalesce(holdout_days.holdout_transactions, 0) as holdout_transactions
           from stats
           left join holdout_days using (customer_id)
         )

         select * from final`,
    params,
  );
}
