-- Company-wide CSAT per calendar month: share 4–5 with a Wilson 95% CI and mean with a t 95% CI
-- (formulas in csat_by_segment).
-- grain: one row per month with ≥ 1 CSAT answer; key: month
-- window: calendar month of responded_at.
with by_segment as (
  select * from csat_by_segment
),

final as (
  select
    period_start as month,
    * exclude (period_type, period_start, dimension, segment)
  from by_segment
  where period_type = 'month' and dimension = 'all'
)

select * from final
