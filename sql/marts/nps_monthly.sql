-- Company-wide NPS per calendar month with its 95% CI and changes (see nps_by_segment for the formulas).
-- grain: one row per month with ≥ 1 NPS answer; key: month
-- formula: nps = %promoters (9–10) − %detractors (0–6); ci = nps ± 1.96 × se of the +1/0/−1 score.
-- window: calendar month of responded_at.
with by_segment as (
  select * from nps_by_segment
),

final as (
  select
    period_start as month,
    responses, promoters, passives, detractors, nps, se, ci_low, ci_high,
    prev_nps, change_vs_prev, change_vs_prev_ci_low, change_vs_prev_ci_high,
    last_year_nps, change_vs_last_year, change_vs_last_year_ci_low, change_vs_last_year_ci_high
  from by_segment
  where period_type = 'month' and dimension = 'all'
)

select * from final
