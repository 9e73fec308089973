-- Churn early-warning list (流失预警): customers at risk as of int_as_of, with the reasons that fired.
-- grain: one row per customer with at least one reason; key: customer_id (pseudonymous id only, no PII)
-- formula: population = customers with a purchase whose last activity (purchase or interaction) is at most
--   churn_days + winback_days days old: customers gone longer are lost, not at risk (they stay visible in
--   churn_monthly and customer_segments). Reasons:
--   inactive — no purchase or interaction (survey, ticket, customer-initiated loyalty event) for ≥ config
--     churn_days days; fired at 00:00 of last activity + churn_days;
--   unresolved_complaint — a complaint ticket with no resolved_at; fired when the oldest such was opened;
--   negative_feedback — an NPS answer ≤ 6 (detractor) or a CSAT answer ≤ 2 in the last config
--     warning_feedback_days days (as_of_date − days + 1 … as_of_date); fired at the first such answer;
--   low_p_alive — P(alive) from int_customer_clv_predicted below config warning_p_alive_below; fired when it
--     fell below: weeks_below_warning weeks before the as-of date (00:00), the BG/NBD model's closed form.
--   value_at_risk = the customer's net revenue in the trailing 365 days; risk_rank = 1 for the highest
--   value at risk (ties by customer_id). warning_fired_at = earliest firing; hours_since_warning =
--   hours from it to int_as_of.as_of_at; advisor_overdue = hours_since_warning > config
--   advisor_response_hours (the plans require an advisor within 24 h).
-- window: the state at int_as_of.as_of_at
with segments as (
  select * from customer_segments
),

tickets as (
  select * from stg_tickets
),

survey_responses as (
  select * from stg_survey_responses
),

predicted as (
  select * from int_customer_clv_predicted
),

as_of as (
  select * from int_as_of
),

config as (
  select
    cast(churn_days as integer) as churn_days,
    cast(winback_days as integer) as winback_days,
    cast(warning_feedback_days as integer) as warning_feedback_days,
    warning_p_alive_below,
    advisor_response_hours
  from config_metrics
),

inactive as (
  select
    segments.customer_id,
    cast(segments.last_activity_date + config.churn_days as timestamp) as fired_at
  from segments
  cross join config
  where segments.days_since_last_activity >= config.churn_days
),

open_complaints as (
  select
    customer_id,
    min(created_at) as fired_at,
    count(*) as open_complaints
  from tickets
  where is_complaint and resolved_at is null
  group by customer_id
),

negative_feedback as (
  select
    survey_responses.customer_id,
    min(survey_responses.responded_at) as fired_at,
    count(*) as negative_responses
  from survey_responses
  cross join as_of
  cross join config
  where ((survey_responses.survey_type = 'nps' and survey_responses.score <= 6)
      or (survey_responses.survey_type = 'csat' and survey_responses.score <= 2))
    and cast(survey_responses.responded_at as date) > as_of.as_of_date - config.warning_feedback_days
    and survey_responses.responded_at <= as_of.as_of_at
  group by survey_responses.customer_id
),

low_p_alive as (
  select
    predicted.customer_id,
    -- The model's clock counts whole days to the as-of date, so the weeks count back from its midnight.
    cast(as_of.as_of_date as timestamp)
      - to_microseconds(cast(round(predicted.weeks_below_warning * 7 * 86400 * 1000000) as bigint)) as fired_at,
    predicted.p_alive
  from predicted
  cross join as_of
  cross join config
  where predicted.p_alive < config.warning_p_alive_below
),

flagged as (
  select
    segments.customer_id,
    segments.customer_type,
    segments.value_tier,
    segments.lifecycle_stage,
    segments.last_activity_date,
    segments.days_since_last_activity,
    segments.net_revenue_365d as value_at_risk,
    inactive.customer_id is not null as reason_inactive,
    open_complaints.customer_id is not null as reason_unresolved_complaint,
    negative_feedback.customer_id is not null as reason_negative_feedback,
    low_p_alive.customer_id is not null as reason_low_p_alive,
    coalesce(open_complaints.open_complaints, 0) as open_complaints,
    coalesce(negative_feedback.negative_responses, 0) as negative_responses,
    predicted.p_alive,
    predicted.predicted_clv,
    least(inactive.fired_at, open_complaints.fired_at, negative_feedback.fired_at, low_p_alive.fired_at) as warning_fired_at
  from segments
  left join inactive on inactive.customer_id = segments.customer_id
  left join open_complaints on open_complaints.customer_id = segments.customer_id
  left join negative_feedback on negative_feedback.customer_id = segments.customer_id
  left join low_p_alive on low_p_alive.customer_id = segments.customer_id
  left join predicted on predicted.customer_id = segments.customer_id
  cross join config
  where segments.first_purchase_date is not null
    and segments.days_since_last_activity <= config.churn_days + config.winback_days
),

at_risk as (
  select *
  from flagged
  where reason_inactive or reason_unresolved_complaint or reason_negative_feedback or reason_low_p_alive
),

final as (
  select
    at_risk.customer_id,
    at_risk.customer_type,
    at_risk.value_tier,
    at_risk.lifecycle_stage,
    concat_ws(', ',
      case when reason_inactive then 'inactive' end,
      case when reason_unresolved_complaint then 'unresolved_complaint' end,
      case when reason_negative_feedback then 'negative_feedback' end,
      case when reason_low_p_alive then 'low_p_alive' end
    ) as reasons,
    cast(reason_inactive as integer) + cast(reason_unresolved_complaint as integer)
      + cast(reason_negative_feedback as integer) + cast(reason_low_p_alive as integer) as reason_count,
    reason_inactive,
    reason_unresolved_complaint,
    reason_negative_feedback,
    reason_low_p_alive,
    at_risk.last_activity_date,
    at_risk.days_since_last_activity,
    at_risk.open_complaints,
    at_risk.negative_responses,
    at_risk.p_alive,
    at_risk.predicted_clv,
    at_risk.value_at_risk,
    row_number() over (order by at_risk.value_at_risk desc, at_risk.customer_id) as risk_rank,
    at_risk.warning_fired_at,
    (epoch(as_of.as_of_at) - epoch(at_risk.warning_fired_at)) / 3600 as hours_since_warning,
    (epoch(as_of.as_of_at) - epoch(at_risk.warning_fired_at)) / 3600 > config.advisor_response_hours as advisor_overdue
  from at_risk
  cross join as_of
  cross join config
)

select * from final
