-- NPS (净推荐值) per month and quarter, overall and by touchpoint, customer type, loyalty tier, value tier (at
-- response time), channel and region.
-- grain: one row per period_type × period_start × dimension × segment with ≥ 1 NPS answer;
-- key: period_type, period_start, dimension, segment
-- formula: each answer scores +1 (9–10), 0 (7–8), −1 (0–6); nps = 100 × mean score = %promoters − %detractors.
-- se = 100 × sqrt((p_promoter + p_detractor − (p_promoter − p_detractor)²) / n)  (population variance of the
-- ±1/0 score over n); 95% CI = nps ± 1.96 × se (normal approximation), clipped to [−100, 100].
-- change_vs_prev: nps − nps of the previous period (month − 1 month, quarter − 3 months) of the same segment;
-- change_vs_last_year: nps − nps 12 months earlier. Each change has a 95% CI with se = sqrt(se1² + se2²)
-- (independent samples); NULL when the earlier period has no answers.
-- window: calendar month / quarter of responded_at (Asia/Shanghai).
-- The counts per period and split come from int_survey_splits.
with splits as (
  select * from int_survey_splits
),

answered as (
  select
    period_type, period_start, dimension, segment,
    nps_responses as responses, promoters, passives, detractors
  from splits
  where nps_responses > 0
),

scored as (
  select
    *,
    100.0 * (promoters - detractors) / responses as nps,
    100.0 * sqrt(
      (promoters + detractors) / responses::double - pow((promoters - detractors) / responses::double, 2)
    ) / sqrt(responses) as se
  from answered
),

with_ci as (
  select *, greatest(-100, nps - 1.96 * se) as ci_low, least(100, nps + 1.96 * se) as ci_high
  from scored
),

compared as (
  select
    cur.*,
    prev.nps as prev_nps,
    cur.nps - prev.nps as change_vs_prev,
    cur.nps - prev.nps - 1.96 * sqrt(pow(cur.se, 2) + pow(prev.se, 2)) as change_vs_prev_ci_low,
    cur.nps - prev.nps + 1.96 * sqrt(pow(cur.se, 2) + pow(prev.se, 2)) as change_vs_prev_ci_high,
    ly.nps as last_year_nps,
    cur.nps - ly.nps as change_vs_last_year,
    cur.nps - ly.nps - 1.96 * sqrt(pow(cur.se, 2) + pow(ly.se, 2)) as change_vs_last_year_ci_low,
    cur.nps - ly.nps + 1.96 * sqrt(pow(cur.se, 2) + pow(ly.se, 2)) as change_vs_last_year_ci_high
  from with_ci as cur
  left join with_ci as prev
    on prev.period_type = cur.period_type
    and prev.dimension = cur.dimension
    and prev.segment = cur.segment
    and prev.period_start = cast(cur.period_start - to_months(case cur.period_type when 'month' then 1 else 3 end) as date)
  left join with_ci as ly
    on ly.period_type = cur.period_type
    and ly.dimension = cur.dimension
    and ly.segment = cur.segment
    and ly.period_start = cast(cur.period_start - to_months(12) as date)
),

final as (
  select
    period_type, period_start, dimension, segment, responses, promoters, passives, detractors,
    nps, se, ci_low, ci_high,
    prev_nps, change_vs_prev, change_vs_prev_ci_low, change_vs_prev_ci_high,
    last_year_nps, change_vs_last_year, change_vs_last_year_ci_low, change_vs_last_year_ci_high
  from compared
)

select * from final
