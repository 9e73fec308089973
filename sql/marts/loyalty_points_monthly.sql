-- Loyalty points (积分) per month, overall and by the tier members held at month end.
-- grain: one row per month × tier (tier 'all' = every member); key: month, tier
-- formulas: points_earned (purchase and task earnings), points_redeemed, points_expired = Σ ledger points in the
--   calendar month; outstanding_points = Σ member balances at month end (earned − redeemed − expired to date);
--   liability_value = outstanding_points × config points_value (¥ per point at redemption), rounded to fen;
--   redemption_rate = points redeemed / points earned in the month; cumulative_redemption_rate = redeemed /
--   earned from the start of the ledger through month end.
-- window: calendar months from the first member month to the as-of month.
with member_months as (
  select * from int_loyalty_member_months
),

config as (
  select * from config_metrics
),

-- One pass over the member months: the 'all' rows are the month's grouping set without the tier.
aggregated as (
  select
    month,
    case when grouping(tier_at_month_end) = 1 then 'all' else tier_at_month_end end as tier,
    count(*) as members,
    count(*) filter (where balance > 0) as members_with_balance,
    sum(earned) as points_earned,
    sum(earned_purchase) as points_earned_purchase,
    sum(earned_tasks) as points_earned_tasks,
    sum(redeemed) as points_redeemed,
    sum(expired) as points_expired,
    sum(balance) as outstanding_points
  from member_months
  group by grouping sets ((month, tier_at_month_end), (month))
),

cumulative as (
  select
    *,
    sum(points_earned) over (partition by tier order by month) as cumulative_earned,
    sum(points_redeemed) over (partition by tier order by month) as cumulative_redeemed
  from aggregated
),

final as (
  select
    c.month,
    c.tier,
    c.members,
    c.members_with_balance,
    c.points_earned,
    c.points_earned_purchase,
    c.points_earned_tasks,
    c.points_redeemed,
    c.points_expired,
    c.outstanding_points,
    round(c.outstanding_points * cfg.points_value, 2) as liability_value,
    c.points_redeemed / nullif(c.points_earned, 0)::double as redemption_rate,
    c.cumulative_redeemed / nullif(c.cumulative_earned, 0)::double as cumulative_redemption_rate
  from cumulative as c
  cross join config as cfg
)

select * from final
