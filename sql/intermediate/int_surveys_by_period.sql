-- Survey answers fanned out to every reporting period and segment they count in, so the satisfaction marts
-- aggregate one long table instead of repeating the same query per split.
-- grain: one row per response_id × period_type × dimension; key: response_id, period_type, dimension
-- period_type: 'month' or 'quarter' (calendar, by responded_at in the business time zone);
-- dimension: 'all' (segment 'all'), 'touchpoint', 'customer_type', 'tier' (loyalty), 'value_tier' (at response
-- time), 'channel', 'region'.
-- window: every loaded answer, in its calendar month and quarter.
with
-- Read twice (month and quarter): scanning the answers twice is cheaper than holding a copy of them.
responses as not materialized (
  select * from int_surveys_enriched
),

periods as (
  select *, 'month' as period_type, month as period_start from responses
  union all
  select *, 'quarter' as period_type, quarter as period_start from responses
),

final as (
  select
    response_id, customer_id, survey_type, score, nps_point, csat_satisfied, is_negative, period_type, period_start,
    dimension, segment
  from periods
  cross join lateral (
    values
      ('all', 'all'),
      ('touchpoint', touchpoint),
      ('customer_type', customer_type),
      ('tier', tier),
      ('value_tier', value_tier),
      ('channel', channel),
      ('region', region)
  ) as d(dimension, segment)
)

select * from final
