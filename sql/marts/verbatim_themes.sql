-- Verbatim themes (高频关键词): the words and phrases of negative comments, per month and quarter, with trend.
-- grain: one row per period_type × period_start × kind × term; key: period_type, period_start, kind, term
-- negative comment: a survey answer with NPS ≤ 6 or CSAT ≤ 2 and a non-empty comment.
-- formula: comments = negative comments that contain the term (each comment counts once); occurrences = total
--   uses; share_of_negative_comments = comments / all negative comments with text in the period; rank = 1 for
--   the most frequent term of its kind in the period (ties share a rank); previous_comments = comments of the
--   previous period (month − 1 / quarter − 3 months, 0 when absent) and change = comments − previous_comments.
-- Words come from int_survey_comment_terms (Intl.Segmenter word segmentation, stop words removed); phrases are
-- two adjacent content words ("速度慢", "slow delivery").
-- window: calendar month / quarter of responded_at.
with terms as (
  select * from int_survey_comment_terms
),

answers as (
  select * from int_surveys_enriched
),

negative_comments as (
  select response_id, month, quarter
  from answers
  where is_negative and comment is not null and trim(comment) <> ''
),

periods as (
  select response_id, 'month' as period_type, month as period_start from negative_comments
  union all
  select response_id, 'quarter' as period_type, quarter as period_start from negative_comments
),

totals as (
  select period_type, period_start, count(*) as negative_comments
  from periods
  group by all
),

counted as (
  select
    p.period_type,
    p.period_start,
    t.kind,
    t.term,
    any_value(t.language) as language,
    count(*) as comments,
    sum(t.occurrences) as occurrences
  from terms as t
  inner join periods as p on p.response_id = t.response_id
  group by all
),

final as (
  select
    c.period_type,
    c.period_start,
    c.kind,
    c.term,
    c.language,
    c.comments,
    c.occurrences,
    c.comments / tot.negative_comments::double as share_of_negative_comments,
    tot.negative_comments,
    rank() over (partition by c.period_type, c.period_start, c.kind order by c.comments desc) as rank,
    coalesce(prev.comments, 0) as previous_comments,
    c.comments - coalesce(prev.comments, 0) as change
  from counted as c
  inner join totals as tot on tot.period_type = c.period_type and tot.period_start = c.period_start
  left join counted as prev
    on prev.period_type = c.period_type
    and prev.kind = c.kind
    and prev.term = c.term
    and prev.period_start = cast(c.period_start - to_months(case c.period_type when 'month' then 1 else 3 end) as date)
)

select * from final
