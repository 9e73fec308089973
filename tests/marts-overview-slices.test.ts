// overview_slices: the Overview filters' additive sums, on a hand-computed fixture. March 2024:
//   A  ToC gold online 华东: order 100 − 10 discount = 90; a cancelled order (0, not counted); NPS 10; CSAT 4;
//      complaint 03-05 10:00 answered 10:20 (within the default 30 minutes) and resolved
//   B  ToB, no tier, sales, 华北: order 1,000 − 200 refunded = 800; NPS 5; ticket 03-06 10:00 answered 11:00 (60 min)
//   X  not in the CRM: order 30; CSAT 2
// April 2024: A orders 200.
import { describe, expect, it } from "vitest";
import { marts } from "../lib/warehouse/marts.ts";
import { buildAll, freshWarehouse, insertRows } from "./util/warehouse.ts";

async function built() {
  const w = await freshWarehouse();
  await insertRows(w.db, "raw_customers", [
    { customer_id: "A", customer_type: "ToC", tier: "gold", acquisition_channel: "online", region: "华东", signup_date: "2024-01-01" },
    { customer_id: "B", customer_type: "ToB", acquisition_channel: "sales", region: "华北", signup_date: "2024-01-01" },
  ]);
  await insertRows(w.db, "raw_orders", [
    { order_id: "O1", customer_id: "A", ordered_at: "2024-03-01 10:00:00", status: "completed", gross_amount: 100, discount_amount: 10 },
    { order_id: "O2", customer_id: "A", ordered_at: "2024-03-02 10:00:00", status: "cancelled", gross_amount: 50 },
    { order_id: "O3", customer_id: "B", ordered_at: "2024-03-31 23:30:00", status: "partially_refunded", gross_amount: 1000, refund_amount: 200 },
    { order_id: "O4", customer_id: "X", ordered_at: "2024-03-15 10:00:00", status: "completed", gross_amount: 30 },
    { order_id: "O5", customer_id: "A", ordered_at: "2024-04-01 00:00:00", status: "completed", gross_amount: 200 },
  ]);
  await insertRows(w.db, "raw_survey_responses", [
    { response_id: "S1", customer_id: "A", responded_at: "2024-03-03 10:00:00", survey_type: "nps", touchpoint: "purchase", score: 10 },
    { response_id: "S2", customer_id: "B", responded_at: "2024-03-04 10:00:00", survey_type: "nps", touchpoint: "purchase", score: 5 },
    { response_id: "S3", customer_id: "A", responded_at: "2024-03-05 10:00:00", survey_type: "csat", touchpoint: "after_sale", score: 4 },
    { response_id: "S4", customer_id: "X", responded_at: "2024-03-06 10:00:00", survey_type: "csat", touchpoint: "after_sale", score: 2 },
  ]);
  await insertRows(w.db, "raw_tickets", [
    { ticket_id: "T1", customer_id: "A", channel: "phone", touchpoint: "after_sale", category: "delivery", is_complaint: true, severity: "general", created_at: "2024-03-05 10:00:00", first_response_at: "2024-03-05 10:20:00", resolved_at: "2024-03-06 10:00:00" },
    { ticket_id: "T2", customer_id: "B", channel: "email", touchpoint: "after_sale", category: "billing", is_complaint: false, severity: "general", created_at: "2024-03-06 10:00:00", first_response_at: "2024-03-06 11:00:00" },
  ]);
  await buildAll(w.db);
  return marts(w.db);
}

const MEASURES = ["revenue", "orders", "nps_n", "promoters", "detractors", "csat_n", "csat_satisfied", "csat_score", "tickets", "complaints", "complaints_resolved", "responded_in_sla"] as const;

describe("overview_slices", () => {
  it("sums each measure per month and slice, 'all' for every value", async () => {
    const k = await built();
    const slice = (month: string, customer_type: string, tier: string, acquisition_channel: string, region: string) =>
      k
        .selectFrom("overview_slices")
        .select(MEASURES)
        .where("month", "=", month)
        .where("customer_type", "=", customer_type)
        .where("tier", "=", tier)
        .where("acquisition_channel", "=", acquisition_channel)
        .where("region", "=", region)
        .execute();
    expect(await slice("2024-03-01", "all", "all", "all", "all")).toEqual([
      { revenue: 920, orders: 3, nps_n: 2, promoters: 1, detractors: 1, csat_n: 2, csat_satisfied: 1, csat_score: 6, tickets: 2, complaints: 1, complaints_resolved: 1, responded_in_sla: 1 },
    ]);
    expect(await slice("2024-03-01", "ToC", "all", "all", "all")).toEqual([
      { revenue: 90, orders: 1, nps_n: 1, promoters: 1, detractors: 0, csat_n: 1, csat_satisfied: 1, csat_score: 4, tickets: 1, complaints: 1, complaints_resolved: 1, responded_in_sla: 1 },
    ]);
    // B has no tier and X is not in the CRM: both are '(unknown)'.
    expect(await slice("2024-03-01", "all", "(unknown)", "all", "all")).toEqual([
      { revenue: 830, orders: 2, nps_n: 1, promoters: 0, detractors: 1, csat_n: 1, csat_satisfied: 0, csat_score: 2, tickets: 1, complaints: 0, complaints_resolved: 0, responded_in_sla: 0 },
    ]);
    expect((await slice("2024-03-01", "ToB", "all", "all", "华北"))[0]?.revenue).toBe(800);
    // Type × tier/channel/region only: never two of tier, channel, region at once.
    expect(await slice("2024-03-01", "ToC", "gold", "online", "all")).toEqual([]);
    // April: A only, so the total, ToC, and each of A's tier / channel / region with and without the type.
    const april = await k.selectFrom("overview_slices").select(["customer_type", "tier", "acquisition_channel", "region", "revenue", "first_response_minutes"]).where("month", "=", "2024-04-01").execute();
    expect(april).toHaveLength(8);
    expect(new Set(april.map((r) => r.revenue))).toEqual(new Set([200]));
    expect(new Set(april.map((r) => r.first_response_minutes))).toEqual(new Set([30]));
  });
});
