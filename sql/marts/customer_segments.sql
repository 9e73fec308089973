-- RFM scores and segments, value tier and lifecycle stage of every customer as of int_as_of.
-- grain: one row per CRM customer; key: customer_id
-- formula:
--   RFM (customers with a purchase; scored within their customer_type): recency_days = as_of_date − last
--   purchase date; frequency = purchase days (same-day orders count once); monetary = Σ net_amount.
--   Scores are quintiles: ntile(5) ordered so 5 is best (most recent, most frequent, highest spend), ties
--   broken by customer_id so every build gives the same scores. Customers without purchases have null scores.
--   rfm_segment from (r_score, f_score), the common 5×5 grid:
--     R 5, F 4–5 Champions · R 3–4, F 4–5 Loyal · R 4–5, F 2–3 Potential Loyalist · R 5, F 1 New ·
--     R 4, F 1 Promising · R 3, F 3 Need Attention · R 3, F 1–2 About to Sleep · R 1–2, F 3–4 At Risk ·
--     R 1–2, F 5 Can't Lose · R 1–2, F 1–2 Hibernating.
--   value_tier over the trailing 365 days (as_of_date − 364 … as_of_date): core = net revenue >
--   config core_annual_spend and ≥ config core_min_orders purchase days; potential = otherwise net revenue >
--   config potential_annual_spend or ≥ 2 purchase days; basic = the rest (including no purchase).
--   lifecycle_stage, first rule that holds: churned = last activity (purchase or interaction) ≥ config
--   churn_days before as_of_date; decline = first purchase ≥ growth_months_from months ago and fewer purchase
--   days in the last config decline_window_days days than in the same span before; acquisition = no purchase
--   or first purchase < growth_months_from (3) whole months ago; growth = < mature_months_from (6) months;
--   mature = the rest.
-- window: all history up to int_as_of.as_of_date
with customers as (
  select * from int_customer_orders_summarized
),

timelines as (
  select * from int_customer_activity_timelines
),

as_of as (
  select * from int_as_of
),

config as (
  select
    core_annual_spend,
    core_min_orders,
    potential_annual_spend,
    growth_months_from,
    mature_months_from,
    cast(decline_window_days as integer) as decline_window_days,
    cast(churn_days as integer) as churn_days
  from config_metrics
),

-- One row per customer with a purchase: the last activity day and the purchase days in the two decline
-- windows, read from the ordered day lists.
recent_activity as (
  select
    timelines.customer_id,
    timelines.activity_dates[-1] as last_activity_date,
    len(list_filter(
      timelines.purchase_dates,
      lambda day: day > as_of.as_of_date - config.decline_window_days
    )) as purchase_days_recent,
    len(list_filter(
      timelines.purchase_dates,
      lambda day: day <= as_of.as_of_date - config.decline_window_days and day > as_of.as_of_date - 2 * config.decline_window_days
    )) as purchase_days_prior
  from timelines
  cross join as_of
  cross join config
),

measured as (
  select
    customers.customer_id,
    customers.customer_type,
    customers.acquisition_channel,
    customers.tier,
    customers.first_purchase_date,
    customers.last_purchase_date,
    recent_activity.last_activity_date,
    cast(as_of.as_of_date - customers.last_purchase_date as bigint) as recency_days,
    customers.purchase_days as frequency,
    customers.net_revenue as monetary,
    customers.net_revenue_365d,
    customers.purchase_days_365d,
    cast(date_sub('month', customers.first_purchase_date, as_of.as_of_date) as bigint) as months_since_first_purchase,
    cast(as_of.as_of_date - recent_activity.last_activity_date as bigint) as days_since_last_activity,
    coalesce(recent_activity.purchase_days_recent, 0) as purchase_days_recent,
    coalesce(recent_activity.purchase_days_prior, 0) as purchase_days_prior
  from customers
  cross join as_of
  left join recent_activity on recent_activity.customer_id = customers.customer_id
),

scored as (
  select
    customer_id,
    ntile(5) over (partition by customer_type order by recency_days desc, customer_id) as r_score,
    ntile(5) over (partition by customer_type order by frequency, customer_id) as f_score,
    ntile(5) over (partition by customer_type order by monetary, customer_id) as m_score
  from measured
  where first_purchase_date is not null
),

classified as (
  select
    measured.*,
    scored.r_score,
    scored.f_score,
    scored.m_score,
    case
      when scored.r_score is null then null
      when scored.r_score = 5 and scored.f_score >= 4 then 'Champions'
      when scored.r_score between 3 and 4 and scored.f_score >= 4 then 'Loyal'
      when scored.r_score >= 4 and scored.f_score between 2 and 3 then 'Potential Loyalist'
      when scored.r_score = 5 and scored.f_score = 1 then 'New'
      when scored.r_score = 4 and scored.f_score = 1 then 'Promising'
      when scored.r_score = 3 and scored.f_score = 3 then 'Need Attention'
      when scored.r_score = 3 and scored.f_score <= 2 then 'About to Sleep'
      when scored.r_score <= 2 and scored.f_score = 5 then 'Can''t Lose'
      when scored.r_score <= 2 and scored.f_score >= 3 then 'At Risk'
      else 'Hibernating'
    end as rfm_segment,
    case
      when measured.net_revenue_365d > config.core_annual_spend and measured.purchase_days_365d >= config.core_min_orders then 'core'
      when measured.net_revenue_365d > config.potential_annual_spend or measured.purchase_days_365d >= 2 then 'potential'
      else 'basic'
    end as value_tier,
    case
      when measured.last_activity_date is not null and measured.days_since_last_activity >= config.churn_days then 'churned'
      when measured.months_since_first_purchase >= config.growth_months_from
        and measured.purchase_days_recent < measured.purchase_days_prior then 'decline'
      when measured.first_purchase_date is null or measured.months_since_first_purchase < config.growth_months_from then 'acquisition'
      when measured.months_since_first_purchase < config.mature_months_from then 'growth'
      else 'mature'
    end as lifecycle_stage
  from measured
  cross join config
  left join scored on scored.customer_id = measured.customer_id
),

final as (
  select
    customer_id,
    customer_type,
    acquisition_channel,
    tier,
    first_purchase_date,
    last_purchase_date,
    last_activity_date,
    recency_days,
    frequency,
    monetary,
    r_score,
    f_score,
    m_score,
    cast(r_score as varchar) || cast(f_score as varchar) || cast(m_score as varchar) as rfm_cell,
    rfm_segment,
    net_revenue_365d,
    purchase_days_365d,
    value_tier,
    months_since_first_purchase,
    days_since_last_activity,
    purchase_days_recent,
    purchase_days_prior,
    lifecycle_stage
  from classified
)

select * from final
