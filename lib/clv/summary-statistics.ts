import { DuckDBTypeId, JSDuckDBValueConverter, type DuckDBConnection, type DuckDBDataChunk, type DuckDBValue } from "@duckdb/node-api";
import { queryRows } from "../warehouse/query.ts";
import { rfmGroupsFromColumns, type RfmGroups } from "./bgnbd.ts";
import { spendGroupsFromColumns, type SpendGroups } from "./gamma-gamma.ts";

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
 * With `holdout`, also holdout_transactions: the customer's purchase days in (calibration end, holdout end]
 * (bound as $holdout_end), counted in the same pass over the purchase days.
 */
export function customerStatisticsSql(purchaseDays: string, options: { holdout?: boolean } = {}): string {
  // One hash aggregate over the purchase days: in calibration (≤ calibration end) and, with a holdout, after it.
  const calibrated = options.holdout ? " filter (where purchase_date <= cast($calibration_end as date))" : "";
  return `
with purchase_days as (${purchaseDays}),

observed as (
  select * from purchase_days
  where purchase_date <= cast(${options.holdout ? "$holdout_end" : "$calibration_end"} as date)
),

per_customer as (
  select
    customer_id,
    count(*)${calibrated} as transactions,
    min(purchase_date)${calibrated} as first_date,
    max(purchase_date)${calibrated} as last_date,
    -- Summed as an exact decimal, so the mean does not depend on the order rows reach the aggregate
    -- (parallel hash aggregation varies it from run to run, and a double sum with it). The repeat
    -- transactions are all but the first: the total less the first day's value (one row per day).
    sum(cast(day_value as decimal(38, 10)))${calibrated} as total_value,
    arg_min_null(cast(day_value as decimal(38, 10)), purchase_date)${calibrated} as first_value,
    count(day_value)${calibrated} as valued_days${
      options.holdout
        ? `,
    count(*) filter (where purchase_date > cast($calibration_end as date)) as holdout_transactions`
        : ""
    }
  from observed
  group by customer_id
),

final as (
  select
    customer_id,
    cast(transactions - 1 as integer) as frequency,
    cast(date_diff('day', first_date, last_date) as integer) as recency_days,
    cast(date_diff('day', first_date, cast($calibration_end as date)) as integer) as age_days,
    -- null, like a sum over no values, when no repeat transaction has a value.
    cast(case when valued_days > cast(first_value is not null as integer) then total_value - coalesce(first_value, 0) end as double)
      / nullif(transactions - 1, 0) as avg_repeat_value${options.holdout ? ",\n    holdout_transactions" : ""}
  from per_customer
  where transactions > 0
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
export function segmentedStatisticsSql(hasCustomers: boolean, purchaseDays: string, options: { holdout?: boolean } = {}): string {
  const statistics = customerStatisticsSql(purchaseDays, options);
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
  return rfmGroupsFromColumns(
    rows.map((r) => r.frequency),
    rows.map((r) => r.recency_days / DAYS_PER_WEEK),
    rows.map((r) => r.age_days / DAYS_PER_WEEK),
    rows.map((r) => r.customers ?? 1),
  );
}

/**
 * Run a query and return its columns as arrays (numbers for INTEGER and DOUBLE, strings for VARCHAR, other
 * types as getColumnsJS gives them): hundreds of thousands of group rows come back far faster column by
 * column than as row objects, and INTEGER, DOUBLE and VARCHAR values are taken from the vectors as they
 * are, without the per-value conversion getColumnsJS makes.
 */
export async function queryColumns(db: DuckDBConnection, sql: string, values?: Record<string, DuckDBValue>): Promise<Record<string, unknown[]>> {
  const result = await db.run(sql, values);
  const chunks = await result.fetchAllChunks();
  return Object.fromEntries(result.columnNames().map((name, k) => [name, columnValues(chunks, k, result.columnTypeId(k))]));
}

const PLAIN_TYPES: ReadonlySet<DuckDBTypeId> = new Set([DuckDBTypeId.INTEGER, DuckDBTypeId.DOUBLE, DuckDBTypeId.VARCHAR]);

function columnValues(chunks: DuckDBDataChunk[], column: number, type: DuckDBTypeId): unknown[] {
  const out: unknown[] = [];
  for (const chunk of chunks) {
    if (!PLAIN_TYPES.has(type)) {
      for (const value of chunk.convertColumnValues(column, JSDuckDBValueConverter)) out.push(value);
      continue;
    }
    const vector = chunk.getColumnVector(column);
    for (let i = 0; i < vector.itemCount; i++) out.push(vector.getItem(i));
  }
  return out;
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
  return spendGroupsFromColumns(c.frequency as number[], c.avg_repeat_value as (number | null)[], c.customers as number[]);
}

/** One (x, t_x, T) group with its customers' actual repeat transactions in the holdout window. */
export interface HoldoutGroupRow extends RfmGroupRow {
  holdout_transactions: number;
}

/**
 * Per-customer statistics for `lens clv fit` into a temporary table: those of customerStatisticsSql for
 * one segment choice (all customers, or one customer type), plus holdout_transactions, the customer's
 * purchase days in (calibration end, holdout end] when a holdout end is given (0 without one), counted in
 * the same pass over the purchase days. Computed once, so the BG/NBD groups, the spend groups and the
 * holdout check read one small table instead of the orders three times. Throws, naming the option, when a type is asked for and there is no stg_customers.
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
  const holdout = options.holdoutEnd !== null;
  const statistics =
    options.segment === POOLED ? customerStatisticsSql(purchaseDays, { holdout }) : segmentedStatisticsSql(true, purchaseDays, { holdout });
  const params: Record<string, DuckDBValue> = { calibration_end: options.calibrationEnd };
  if (options.segment !== POOLED) params.segment = options.segment;
  if (options.holdoutEnd !== null) params.holdout_end = options.holdoutEnd;
  await db.run(
    `create or replace temp table ${table} as
     select *${holdout ? "" : ", 0 as holdout_transactions"}
     from (${statistics})
     ${options.segment === POOLED ? "" : "where segment = $segment"}`,
    params,
  );
}
