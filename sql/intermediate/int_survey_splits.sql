-- Survey answers counted per reporting period and split: the building blocks of the NPS, CSAT and
-- negative-feedback marts, aggregated once for all three.
-- grain: one row per period_type × period_start × dimension × segment with ≥ 1 answer;
-- key: period_type, period_start, dimension, segment
-- period_type: 'month' or 'quarter' (calendar, by responded_at in the business time zone);
-- dimension: 'all' (segment 'all'), 'touchpoint', 'customer_type', 'tier' (loyalty), 'value_tier' (at response
--   time), 'channel', 'region'.
-- formula: counts of answers (all, negative, NPS promoters / passives / detractors, CSAT satisfied / low) and,
--   for CSAT, Σ score and Σ score² (mean and sample variance come from n, Σ and Σ² in the mart).
-- window: every loaded answer, in its calendar month and quarter.
with answers as (
  select * from int_surveys_enriched
),

-- Counts and sums add up, so they are taken per finest cell first (some sixty thousand at l scale) and the
-- splits below add up cells instead of answers.
cells as (
  select
    month, quarter, touchpoint, customer_type, tier, value_tier, channel, region,
    count(*) as responses,
    count(*) filter (where is_negative) as negative,
    count(*) filter (where survey_type = 'nps') as nps_responses,
    count(*) filter (where nps_point = 1) as promoters,
    count(*) filter (where nps_point = 0) as passives,
    count(*) filter (where nps_point = -1) as detractors,
    count(*) filter (where survey_type = 'csat') as csat_responses,
    count(*) filter (where csat_satisfied) as csat_satisfied,
    count(*) filter (where survey_type = 'csat' and is_negative) as low_csat,
    coalesce(sum(score) filter (where survey_type = 'csat'), 0) as csat_score_sum,
    coalesce(sum(score * score) filter (where survey_type = 'csat'), 0) as csat_score_squares
  from answers
  group by all
),

-- One grouping set per period (month, quarter) × split; 'all' is the period alone. Sums are cast back to the
-- bigint a count is.
aggregated as (
  select
    grouping_id(month, quarter, touchpoint, customer_type, tier, value_tier, channel, region) as grouping_set,
    month, quarter, touchpoint, customer_type, tier, value_tier, channel, region,
    cast(sum(responses) as bigint) as responses,
    cast(sum(negative) as bigint) as negative,
    cast(sum(nps_responses) as bigint) as nps_responses,
    cast(sum(promoters) as bigint) as promoters,
    cast(sum(passives) as bigint) as passives,
    cast(sum(detractors) as bigint) as detractors,
    cast(sum(csat_responses) as bigint) as csat_responses,
    cast(sum(csat_satisfied) as bigint) as csat_satisfied,
    cast(sum(low_csat) as bigint) as low_csat,
    cast(sum(csat_score_sum) as bigint) as csat_score_sum,
    cast(sum(csat_score_squares) as bigint) as csat_score_squares
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
final as (
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
    promoters,
    passives,
    detractors,
    csat_responses,
    csat_satisfied,
    low_csat,
    csat_score_sum,
    csat_score_squares
  from aggregated
)

select * from final
