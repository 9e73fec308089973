// Page data for Customer value: CLV distribution and by segment (binned here: no customer rows ship),
// RFM segment map, value tiers and lifecycle stages, high-value revenue share, profile completeness.
import { rows, rounded, runLoader, selectFrom } from "../lib/loader.ts";

await runLoader("value", async (db) => {
  // CLV histogram on a log-like ¥ scale, so the long tail stays readable.
  const clvBins = rounded(
    await rows(
      db,
      `with bins as (
         select customer_type,
           case when predicted_clv < 100 then 0 when predicted_clv < 300 then 1 when predicted_clv < 1000 then 2
                when predicted_clv < 3000 then 3 when predicted_clv < 10000 then 4 when predicted_clv < 30000 then 5 else 6 end as bin
         from customer_ltv where predicted_clv is not null
       )
       select customer_type, bin, (['< ¥100', '¥100–300', '¥300–1,000', '¥1,000–3,000', '¥3,000–1万', '¥1万–3万', '≥ ¥3万'])[bin + 1] as band, count(*) as customers
       from bins group by all order by customer_type, bin`,
    ),
  );
  const bySegment = rounded(
    await rows(
      db,
      `select s.rfm_segment, s.value_tier, s.lifecycle_stage, l.customer_type, count(*) as customers,
         sum(l.net_revenue) as net_revenue, sum(l.predicted_clv) as predicted_clv, avg(l.predicted_clv) as mean_predicted_clv,
         avg(s.recency_days) as mean_recency_days, avg(s.frequency) as mean_frequency, avg(s.monetary) as mean_monetary
       from customer_segments s join customer_ltv l using (customer_id)
       group by all order by customers desc`,
    ),
  );
  const rfmGrid = rounded(
    await rows(db, `select r_score, f_score, any_value(rfm_segment) as rfm_segment, count(*) as customers, avg(monetary) as mean_monetary from customer_segments where r_score is not null group by all order by r_score, f_score`),
  );
  return {
    clvBins,
    bySegment,
    rfmGrid,
    tiers: await selectFrom(db, "value_tier_summary", ["customer_type", "value_tier", "customers", "customer_share", "revenue", "revenue_share"], "order by customer_type, value_tier"),
    completeness: await selectFrom(db, "profile_completeness", ["customer_type", "customers", "complete_customers", "completeness_rate", "with_contact", "with_city", "with_region"], "order by customer_type"),
  };
});
