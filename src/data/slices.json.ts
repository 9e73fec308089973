// Page data: additive monthly measures by business type and one of tier / acquisition channel / region
// (the overview_slices mart), so the site's filters work offline without shipping rows. Grain: month ×
// filter slice; "*" = all. Measures are sums (never ratios) so any period can be summed in the browser
// before dividing.
import { runLoader, toColumns } from "../lib/loader.ts";

/** The page's components mark "every value" as "*"; marts say 'all'. */
const star = (v: string) => (v === "all" ? "*" : v);

await runLoader("slices", async (k) => {
  const slices = await k
    .selectFrom("overview_slices")
    .select([
      "month", "customer_type as type", "tier", "acquisition_channel as channel", "region", "revenue", "orders", "nps_n", "promoters", "detractors",
      "csat_n", "csat_satisfied", "csat_score", "tickets", "complaints", "complaints_resolved", "responded_in_sla",
    ])
    .execute();
  const keys = ["month", "type", "tier", "channel", "region"] as const;
  const data = slices
    .map((r) => ({ ...r, month: r.month.slice(0, 7), type: star(r.type), tier: star(r.tier), channel: star(r.channel), region: star(r.region) }))
    // Ordered after the renaming, so "*" (every value) sorts as the page has always had it.
    .sort((a, b) => {
      for (const key of keys) if (a[key] !== b[key]) return a[key] < b[key] ? -1 : 1;
      return 0;
    });
  const distinct = (key: (typeof keys)[number]) => [...new Set(data.map((r) => r[key]))].filter((v) => v !== "*").sort();
  const sla = await k.selectFrom("overview_slices").select("first_response_minutes").limit(1).executeTakeFirst();
  return {
    first_response_minutes: sla?.first_response_minutes,
    dims: { type: distinct("type"), tier: distinct("tier"), channel: distinct("channel"), region: distinct("region") },
    months: distinct("month"),
    rows: toColumns(data),
  };
});
