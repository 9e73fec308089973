-- Negative-feedback rate (负面反馈率) per month and quarter, overall and by segment.
-- grain: one row per period_type × period_start × dimension × segment with ≥ 1 answer;
-- key: period_type, period_start, dimension, segment
-- dimension: 'all', 'touchpoint', 'customer_type', 'tier' (loyalty), 'value_tier' (at response time), 'channel',
--   'region' (the counts per period and split come from int_survey_splits).
-- formula: negative_rate = negative answers / all answers (NPS and CSAT together), negative = NPS 0–6 or CSAT 1–2;
-- 95% Wilson interval (z = 1.96). detractor_rate (NPS 0–6 / NPS answers) and low_csat_rate (CSAT 1–2 / CSAT
-- answers) are shown beside it.
-- window: calendar month / quarter of responded_at.
with splits as (
  select * from int_survey_splits
),

counted as (
  select
    period_type, period_start, dimension, segment, responses, negative, nps_responses, detractors,
    csat_responses, low_csat
  from splits
),

rated as (
  select *, negative / responses::double as negative_rate
  from counted
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
