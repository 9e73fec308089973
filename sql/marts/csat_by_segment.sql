-- CSAT (客户满意度) per month and quarter, overall and by touchpoint, customer type, loyalty tier, value tier (at
-- response time), channel and region.
-- grain: one row per period_type × period_start × dimension × segment with ≥ 1 CSAT answer;
-- key: period_type, period_start, dimension, segment
-- formula: csat_share = answers scoring 4–5 / answers (1–5 scale); 95% Wilson interval with z = 1.96:
--   (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n).
-- csat_mean = mean score; 95% CI = mean ± t(0.975, n−1) × sd / sqrt(n) (sample sd; t from int_t_quantiles,
--   Cornish–Fisher for n − 1 > 30), clipped to the scale [1, 5]; NULL when n = 1.
-- changes vs the previous period (month − 1 / quarter − 3 months) and vs 12 months earlier, each with a 95%
-- normal CI for independent samples: share se = sqrt(p1(1−p1)/n1 + p2(1−p2)/n2); mean se = sqrt(s1²/n1 + s2²/n2).
-- window: calendar month / quarter of responded_at (Asia/Shanghai).
-- The counts and sums per period and split come from int_survey_splits; mean and sd from n, Σscore and Σscore².
with splits as (
  select * from int_survey_splits
),

t_quantiles as (
  select * from int_t_quantiles
),

answered as (
  select
    period_type, period_start, dimension, segment,
    csat_responses as responses, csat_satisfied as satisfied, csat_score_sum as score_sum,
    csat_score_squares as score_squares
  from splits
  where csat_responses > 0
),

-- Sample variance from the sums, (n·Σx² − (Σx)²) / (n(n − 1)): the numerator is an exact integer, so this is
-- the variance stddev_samp computes; NULL for a single answer, as stddev_samp gives.
aggregated_scores as (
  select
    period_type,
    period_start,
    dimension,
    segment,
    responses,
    satisfied,
    score_sum / responses::double as csat_mean,
    case
      when responses > 1
        then sqrt((responses * score_squares - score_sum * score_sum)::double / (responses * (responses - 1)))
    end as sd
  from answered
),

shares as (
  select
    *,
    satisfied / responses::double as csat_share,
    sqrt((satisfied / responses::double) * (1 - satisfied / responses::double) / responses) as share_se,
    sd / sqrt(responses) as mean_se
  from aggregated_scores
),

intervals as (
  select
    s.*,
    greatest(0, (s.csat_share + 1.96 * 1.96 / (2 * s.responses)
      - 1.96 * sqrt(s.csat_share * (1 - s.csat_share) / s.responses + 1.96 * 1.96 / (4.0 * s.responses * s.responses)))
      / (1 + 1.96 * 1.96 / s.responses)) as share_ci_low,
    least(1, (s.csat_share + 1.96 * 1.96 / (2 * s.responses)
      + 1.96 * sqrt(s.csat_share * (1 - s.csat_share) / s.responses + 1.96 * 1.96 / (4.0 * s.responses * s.responses)))
      / (1 + 1.96 * 1.96 / s.responses)) as share_ci_high,
    case
      when s.responses - 1 > 30 then 1.959964 + 2.372271 / (s.responses - 1) + 2.822499 / pow(s.responses - 1, 2)
        + 2.555850 / pow(s.responses - 1, 3)
      else q.t_975
    end as t_crit
  from shares as s
  left join t_quantiles as q on q.df = s.responses - 1
),

with_ci as (
  select *, greatest(1, csat_mean - t_crit * mean_se) as mean_ci_low, least(5, csat_mean + t_crit * mean_se) as mean_ci_high
  from intervals
),

compared as (
  select
    cur.*,
    prev.csat_share as prev_csat_share,
    cur.csat_share - prev.csat_share as share_change_vs_prev,
    cur.csat_share - prev.csat_share - 1.96 * sqrt(pow(cur.share_se, 2) + pow(prev.share_se, 2)) as share_change_vs_prev_ci_low,
    cur.csat_share - prev.csat_share + 1.96 * sqrt(pow(cur.share_se, 2) + pow(prev.share_se, 2)) as share_change_vs_prev_ci_high,
    prev.csat_mean as prev_csat_mean,
    cur.csat_mean - prev.csat_mean as mean_change_vs_prev,
    cur.csat_mean - prev.csat_mean - 1.96 * sqrt(pow(cur.mean_se, 2) + pow(prev.mean_se, 2)) as mean_change_vs_prev_ci_low,
    cur.csat_mean - prev.csat_mean + 1.96 * sqrt(pow(cur.mean_se, 2) + pow(prev.mean_se, 2)) as mean_change_vs_prev_ci_high,
    ly.csat_share as last_year_csat_share,
    cur.csat_share - ly.csat_share as share_change_vs_last_year,
    cur.csat_share - ly.csat_share - 1.96 * sqrt(pow(cur.share_se, 2) + pow(ly.share_se, 2)) as share_change_vs_last_year_ci_low,
    cur.csat_share - ly.csat_share + 1.96 * sqrt(pow(cur.share_se, 2) + pow(ly.share_se, 2)) as share_change_vs_last_year_ci_high,
    ly.csat_mean as last_year_csat_mean,
    cur.csat_mean - ly.csat_mean as mean_change_vs_last_year,
    cur.csat_mean - ly.csat_mean - 1.96 * sqrt(pow(cur.mean_se, 2) + pow(ly.mean_se, 2)) as mean_change_vs_last_year_ci_low,
    cur.csat_mean - ly.csat_mean + 1.96 * sqrt(pow(cur.mean_se, 2) + pow(ly.mean_se, 2)) as mean_change_vs_last_year_ci_high
  from with_ci as cur
  left join with_ci as prev
    on prev.period_type = cur.period_type
    and prev.dimension = cur.dimension
    and prev.segment = cur.segment
    and prev.period_start = cast(cur.period_start - to_months(case cur.period_type when 'month' then 1 else 3 end) as date)
  left join with_ci as ly
    on ly.period_type = cur.period_type
    and ly.dimension = cur.dimension
    and ly.segment = cur.segment
    and ly.period_start = cast(cur.period_start - to_months(12) as date)
),

final as (
  select
    period_type, period_start, dimension, segment, responses, satisfied,
    csat_share, share_se, share_ci_low, share_ci_high,
    csat_mean, sd, mean_se, mean_ci_low, mean_ci_high,
    prev_csat_share, share_change_vs_prev, share_change_vs_prev_ci_low, share_change_vs_prev_ci_high,
    prev_csat_mean, mean_change_vs_prev, mean_change_vs_prev_ci_low, mean_change_vs_prev_ci_high,
    last_year_csat_share, share_change_vs_last_year, share_change_vs_last_year_ci_low, share_change_vs_last_year_ci_high,
    last_year_csat_mean, mean_change_vs_last_year, mean_change_vs_last_year_ci_low, mean_change_vs_last_year_ci_high
  from compared
)

select * from final
