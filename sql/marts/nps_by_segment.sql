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
-- The splits are grouping sets over cells of int_surveys_enriched (one pass over the answers, not over a
-- fan-out of each answer to every period and split).
with answers as (
  select * from int_surveys_enriched where survey_type = 'nps'
),

-- The counts add up, so they are taken per finest cell first and the splits below add up cells, not answers.
cells as (
  select
    month, quarter, touchpoint, customer_type, tier, value_tier, channel, region,
    count(*) as responses,
    count(*) filter (where nps_point = 1) as promoters,
    count(*) filter (where nps_point = 0) as passives,
    count(*) filter (where nps_point = -1) as detractors
  from answers
  group by all
),

-- One grouping set per period (month, quarter) × split; 'all' is the period alone. Sums of counts are cast
-- back to the bigint a count is.
aggregated as (
  select
    grouping_id(month, quarter, touchpoint, customer_type, tier, value_tier, channel, region) as grouping_set,
    month, quarter, touchpoint, customer_type, tier, value_tier, channel, region,
    cast(sum(responses) as bigint) as responses,
    cast(sum(promoters) as bigint) as promoters,
    cast(sum(passives) as bigint) as passives,
    cast(sum(detractors) as bigint) as detractors
  from cells
  group by grouping sets (
    (month), (month, touchpoint), (month, customer_type), (month, tier), (month, value_tier), (month, channel),
    (month, region),
    (quarter), (quarter, touchpoint), (quarter, customer_type), (quarter, tier), (quarter, value_tier),
    (quarter, channel), (quarter, region)
  )
),

-- grouping_id has one bit per split column, set when the grouping set leaves the column out:
-- month 128, quarter 64, touchpoint 32, customer_type 16, tier 8, value_tier 4, channel 2, region 1.
labelled as (
  select
    case when grouping_set & 128 = 0 then 'month' else 'quarter' end as period_type,
    case when grouping_set & 128 = 0 then month else quarter end as period_start,
    case
      when grouping_set & 32 = 0 then 'touchpoint'
      when grouping_set & 16 = 0 then 'customer_type'
      when grouping_set & 8 = 0 then 'tier'
      when grouping_set & 4 = 0 then 'value_tier'
      when grouping_set & 2 = 0 then 'channel'
      when grouping_set & 1 = 0 then 'region'
      else 'all'
    end as dimension,
    case
      when grouping_set & 32 = 0 then touchpoint
      when grouping_set & 16 = 0 then customer_type
      when grouping_set & 8 = 0 then tier
      when grouping_set & 4 = 0 then value_tier
      when grouping_set & 2 = 0 then channel
      when grouping_set & 1 = 0 then region
      else 'all'
    end as segment,
    responses,
    promoters,
    passives,
    detractors
  from aggregated
),

scored as (
  select
    *,
    100.0 * (promoters - detractors) / responses as nps,
    100.0 * sqrt(
      (promoters + detractors) / responses::double - pow((promoters - detractors) / responses::double, 2)
    ) / sqrt(responses) as se
  from labelled
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
