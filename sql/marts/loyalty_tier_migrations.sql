-- Member tier migrations: tier_change events per month, from → to.
-- grain: one row per month × tier_from × tier_to; key: month, tier_from, tier_to
-- formula: changes = tier_change events in the calendar month; direction = upgrade when tier_to ranks above
--   tier_from (basic < silver < gold < vip), downgrade when below, lateral otherwise; customers = distinct customers.
-- window: calendar month of occurred_at.
with events as (
  select * from stg_loyalty_events where event_type = 'tier_change'
),

ranked as (
  select
    *,
    cast(date_trunc('month', occurred_at) as date) as month,
    list_position(['basic', 'silver', 'gold', 'vip'], tier_from) as rank_from,
    list_position(['basic', 'silver', 'gold', 'vip'], tier_to) as rank_to
  from events
),

final as (
  select
    month,
    coalesce(tier_from, 'none') as tier_from,
    coalesce(tier_to, 'none') as tier_to,
    case
      when rank_to > rank_from then 'upgrade'
      when rank_to < rank_from then 'downgrade'
      else 'lateral'
    end as direction,
    count(*) as changes,
    count(distinct customer_id) as customers
  from ranked
  group by all
)

select * from final
