// Page data: additive monthly measures by business type and one of tier / acquisition channel / region,
// so the site's filters work offline without shipping rows. Grain: month × filter slice; "*" = all.
// Measures are sums (never ratios) so any period can be summed in the browser before dividing.
import { requireTables, rows, runLoader, toColumns } from "../lib/loader.ts";

await runLoader("slices", async (db) => {
  await requireTables(db, "stg_customers", "stg_orders", "stg_survey_responses", "stg_tickets", "config_metrics");
  // Only non-personal customer attributes are read here.
  const sql = `
    with customers as (
      select customer_id,
        coalesce(customer_type, '(unknown)') as type,
        coalesce(tier, '(unknown)') as tier,
        coalesce(acquisition_channel, '(unknown)') as channel,
        coalesce(region, '(unknown)') as region
      from stg_customers
    ),
    facts as (
      select strftime(o.order_date, '%Y-%m') as month, o.customer_id,
        o.net_amount as revenue, (o.status <> 'cancelled')::int as orders,
        0 as nps_n, 0 as promoters, 0 as detractors, 0 as csat_n, 0 as csat_satisfied, 0 as csat_score,
        0 as tickets, 0 as complaints, 0 as complaints_resolved, 0 as responded_in_sla
      from stg_orders o
      union all
      select strftime(responded_at, '%Y-%m'), customer_id, 0, 0,
        (survey_type = 'nps')::int, (survey_type = 'nps' and score >= 9)::int, (survey_type = 'nps' and score <= 6)::int,
        (survey_type = 'csat')::int, (survey_type = 'csat' and score >= 4)::int, case when survey_type = 'csat' then score else 0 end,
        0, 0, 0, 0
      from stg_survey_responses
      union all
      select strftime(t.created_at, '%Y-%m'), t.customer_id, 0, 0, 0, 0, 0, 0, 0, 0,
        1, t.is_complaint::int, (t.is_complaint and t.resolved_at is not null)::int,
        coalesce(date_diff('minute', t.created_at, t.first_response_at) <= c.first_response_minutes, false)::int
      from stg_tickets t cross join config_metrics c
    ),
    joined as (
      select f.*, coalesce(c.type, '(unknown)') as type, coalesce(c.tier, '(unknown)') as tier,
        coalesce(c.channel, '(unknown)') as channel, coalesce(c.region, '(unknown)') as region
      from facts f left join customers c using (customer_id)
      where f.month is not null
    ),
    final as (
      select month,
        case when grouping(type) = 1 then '*' else type end as type,
        case when grouping(tier) = 1 then '*' else tier end as tier,
        case when grouping(channel) = 1 then '*' else channel end as channel,
        case when grouping(region) = 1 then '*' else region end as region,
        round(sum(revenue), 2) as revenue, sum(orders) as orders,
        sum(nps_n) as nps_n, sum(promoters) as promoters, sum(detractors) as detractors,
        sum(csat_n) as csat_n, sum(csat_satisfied) as csat_satisfied, sum(csat_score) as csat_score,
        sum(tickets) as tickets, sum(complaints) as complaints, sum(complaints_resolved) as complaints_resolved,
        sum(responded_in_sla) as responded_in_sla
      from joined
      group by grouping sets (
        (month), (month, type),
        (month, tier), (month, type, tier),
        (month, channel), (month, type, channel),
        (month, region), (month, type, region)
      )
    )
    select * from final order by month, type, tier, channel, region`;
  const data = await rows(db, sql);
  const distinct = (k: string) => [...new Set(data.map((r) => String(r[k])))].filter((v) => v !== "*").sort();
  const sla = await rows<{ m: number }>(db, "select first_response_minutes as m from config_metrics");
  return {
    first_response_minutes: sla[0]?.m,
    dims: { type: distinct("type"), tier: distinct("tier"), channel: distinct("channel"), region: distinct("region") },
    months: distinct("month"),
    rows: toColumns(data),
  };
});
