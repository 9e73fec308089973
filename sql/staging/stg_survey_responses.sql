-- Survey answers: one row per response.
-- grain: one row per response_id; key: response_id
with source as (
  select * from raw_survey_responses
),

final as (
  select
    response_id,
    customer_id,
    responded_at,
    survey_type,
    touchpoint,
    score,
    comment,
    order_id,
    ticket_id
  from source
)

select * from final
