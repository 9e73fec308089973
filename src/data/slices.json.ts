// Page data: additive monthly measures by business type and one of tier / acquisition channel / region
// (the overview_slices mart), so the site's filters work offline without shipping rows. Grain: month ×
// filter slice; "*" = all. Measures are sums (never ratios) so any period can be summed in the browser
// before dividing.
import { monthsBefore, runLoader, toColumns } from "../lib/loader.ts";

/** The last three years of months: the slices grow with history (≈ 60 rows a month), not with the data's size. */
const SLICE_MONTHS = 35;

/** The page's components mark "every value" as "*"; marts say 'all'. */
const star = (v: string) => (v === "all" ? "*" : v);

await runLoader("slices", async (k) => {
  const slices = await k
    .selectFrom("overview_slices")
    .select([
      "month", "customer_type as type", "tier", "acquisition_channel as channel", "region", "revenue", "orders", "nps_n", "promoters", "detractors",
      "csat_n", "csat_satisfied", "csat_score", "tickets", "complaints", "complaints_resolved", "responded_in_sla",
    ])
    .where("month", ">=", (eb) => eb.selectFrom("overview_slices").select((eb) => monthsBefore(eb.fn.max("month"), SLICE_MONTHS).as("since")))
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
  const dims = { type: distinct("type"), tier: distinct("tier"), channel: distinct("channel"), region: distinct("region") };
  const months = distinct("month");
  // Key columns ship as positions in `levels` (a month or region name repeated ~2,000 times is most of
  // the file); sliceRows in src/components/slices.js turns them back into names.
  const levels = { month: months, type: ["*", ...dims.type], tier: ["*", ...dims.tier], channel: ["*", ...dims.channel], region: ["*", ...dims.region] };
  const index = Object.fromEntries(Object.entries(levels).map(([key, values]) => [key, new Map(values.map((v, i) => [v, i]))])) as Record<keyof typeof levels, Map<string, number>>;
  const coded = data.map((r) => ({
    ...r,
    month: index.month.get(r.month) ?? -1, type: index.type.get(r.type) ?? -1, tier: index.tier.get(r.tier) ?? -1,
    channel: index.channel.get(r.channel) ?? -1, region: index.region.get(r.region) ?? -1,
  }));
  return { first_response_minutes: sla?.first_response_minutes, dims, months, levels, rows: toColumns(coded) };
});
