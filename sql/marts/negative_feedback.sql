-- Negative-feedback rate (负面反馈率) per month and quarter, overall and by segment.
-- grain: one row per period_type × period_start × dimension × segment with ≥ 1 answer;
-- key: period_type, period_start, dimension, segment
-- dimension: 'all', 'touchpoint', 'customer_type', 'tier' (loyalty), 'value_tier' (at response time), 'channel',
--   'region', taken as grouping sets of int_surveys_enriched (one pass over the answers, not over a fan-out of each
--   answer to every period and split).
-- formula: negative_rate = negative answers / all answers (NPS and CSAT together), negative = NPS 0–6 or CSAT 1–2;
-- 95% Wilson interval (z = 1.96). detractor_rate (NPS 0–6 / NPS answers) and low_csat_rate (CSAT 1–2 / CSAT
-- answers) are shown beside it.
-- window: calendar month / quarter of responded_at.
with answers as (
  select * from int_surveys_enriched
),

-- The counts add up, so they are taken per finest cell first (some sixty thousand at l scale) and the splits
-- below add up cells instead of answers.
cells as (
  select
    month, quarter, touchpoint, customer_type, tier, value_tier, channel, region,
    count(*) as responses,
    count(*) filter (where is_negative) as negative,
    count(*) filter (where survey_type = 'nps') as nps_responses,
    count(*) filter (where survey_type = 'nps' and is_negative) as detractors,
    count(*) filter (where survey_type = 'csat') as csat_responses,
    count(*) filter (where survey_type = 'csat' and is_negative) as low_csat
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
    cast(sum(negative) as bigint) as negative,
    cast(sum(nps_responses) as bigint) as nps_responses,
    cast(sum(detractors) as bigint) as detractors,
    cast(sum(csat_responses) as bigint) as csat_responses,
    cast(sum(low_csat) as bigint) as low_csat
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
    negative,
    nps_responses,
    detractors,
    csat_responses,
    low_csat
  from aggregated
),

rated as (
  select *, negative / responses::double as negative_rate
  from labelled
),

final as (
  select
    period_type, period_start, dimension, segment, responses, negative, negative_rate,
    greatest(0, (negative_rate + 1.96 * 1.96 / (2 * responses)
      - 1.96 * sqrt(negative_rate * (1 - negative_rate) / responses + 1.96 * 1.96 / (4.0 * responses * responses)))
      / (1 + 1.96 * 1.96 / responses)) as ci_low,
    least(1, (negative_rate + 1.96 * 1.96 / (2 * responses)
      + 1.96 * sqrt(negative_rate * (1 - negative_rate) / responses + 1.96 * 1.96 / (4.0 * responses * responses)))
      / (1 + 1.96 * 1.96 / responses)) as ci_high,
    nps_responses,
    detractors,
    detractors / nullif(nps_responses, 0)::double as detractor_rate,
    csat_responses,
    low_csat,
    low_csat / nullif(csat_responses, 0)::double as low_csat_rate
  from rated
)

select * from final
