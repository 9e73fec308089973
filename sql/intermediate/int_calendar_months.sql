-- Calendar months the customer-value marts report on, so months without events still get a row.
-- grain: one row per local calendar month; key: month_start
-- formula: from the month of the first purchase in the data to the month of int_as_of.as_of_date;
--          month_end = last day of the month; period_end = least(month_end, as_of_date);
--          is_complete = month_end ≤ as_of_date. No rows when there are no purchases.
-- window: first purchase month … as_of month
with customers as (
  select * from int_customer_orders_summarized
),

as_of as (
  select * from int_as_of
),

bounds as (
  select
    min(customers.cohort_month) as first_month,
    cast(date_trunc('month', any_value(as_of.as_of_date)) as date) as last_month,
    any_value(as_of.as_of_date) as as_of_date
  from customers
  cross join as_of
),

months as (
  select
    cast(unnest(generate_series(first_month, last_month, interval 1 month)) as date) as month_start,
    as_of_date
  from bounds
),

final as (
  select
    month_start,
    cast(last_day(month_start) as date) as month_end,
    least(cast(last_day(month_start) as date), as_of_date) as period_end,
    last_day(month_start) <= as_of_date as is_complete
  from months
)

select * from final
