-- Member tier distribution (等级会员) at each month end.
-- grain: one row per month × tier; key: month, tier
-- formula: members = members whose tier at month end (int_loyalty_member_months) is the tier; share = members /
--   all members that month; upgrades_in / downgrades_in = tier_change events in the month into the tier from a
--   lower / higher tier (order basic < silver < gold < vip).
-- window: calendar months from the first member month to the as-of month.
with member_months as (
  select * from int_loyalty_member_months
),

migrations as (
  select * from loyalty_tier_migrations
),

distribution as (
  select month, tier_at_month_end as tier, count(*) as members
  from member_months
  group by all
),

moves as (
  select
    month,
    tier_to as tier,
    sum(changes) filter (where direction = 'upgrade') as upgrades_in,
    sum(changes) filter (where direction = 'downgrade') as downgrades_in
  from migrations
  group by all
),

final as (
  select
    d.month,
    d.tier,
    d.members,
    d.members / sum(d.members) over (partition by d.month)::double as share,
    coalesce(m.upgrades_in, 0) as upgrades_in,
    coalesce(m.downgrades_in, 0) as downgrades_in
  from distribution as d
  left join moves as m on m.month = d.month and m.tier = d.tier
)

select * from final
