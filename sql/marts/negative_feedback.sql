-- Negative-feedback rate (负面反馈率) per month and quarter, overall and by segment.
-- grain: one row per period_type × period_start × dimension × segment with ≥ 1 answer;
-- key: period_type, period_start, dimension, segment
-- formula: negative_rate = negative answers / all answers (NPS and CSAT together), negative = NPS 0–6 or CSAT 1–2;
-- 95% Wilson interval (z = 1.96). detractor_rate (NPS 0–6 / NPS answers) and low_csat_rate (CSAT 1–2 / CSAT
-- answers) are shown beside it.
-- window: calendar month / quarter of responded_at.
with answers as (
  select * from int_surveys_by_period
),

aggregated as (
  select
    period_type,
    period_start,
    dimension,
    segment,
    count(*) as responses,
    count(*) filter (where is_negative) as negative,
    count(*) filter (where survey_type = 'nps') as nps_responses,
    count(*) filter (where survey_type = 'nps' and is_negative) as detractors,
    count(*) filter (where survey_type = 'csat') as csat_responses,
    count(*) filter (where survey_type = 'csat' and is_negative) as low_csat
  from answers
  group by all
),

rated as (
  select *, negative / responses::double as negative_rate
  from aggregated
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
