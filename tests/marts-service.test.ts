import type { DuckDBConnection } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { selectModels } from "../lib/models/graph.ts";
import { buildModels, readProject, type Model } from "../lib/models/project.ts";
import { queryRows } from "../lib/warehouse/query.ts";
import { freshWarehouse, insertRows } from "./util/warehouse.ts";

// The model files do not change during a test file: read and parse them once.
let project: Model[] | undefined;

const MARTS = ["ticket_sla", "service_rates", "agent_leaderboard"];

/** Build the service marts and what they read. */
async function buildMarts(db: DuckDBConnection): Promise<void> {
  const all = (project ??= await readProject(db, "sql", { checkSources: false }));
  const keep = selectModels(all, MARTS.map((m) => `+${m}`));
  await buildModels(db, all.filter((m) => keep.has(m.name)));
}

type Row = Record<string, unknown>;
const close = (actual: unknown, expected: number, digits = 6) => expect(actual as number).toBeCloseTo(expected, digits);

const customers = [
  { customer_id: "k1", customer_type: "ToC", signup_date: "2023-01-01" },
  { customer_id: "k2", customer_type: "ToB", signup_date: "2023-01-01" },
];
// k1 spent 4 × ¥2,000 = ¥8,000 > ¥5,000 in 4 orders in the year before its ticket: a core customer.
const orders = [
  ...[6, 7, 8, 9].map((m) => ({
    order_id: `o${m}`, customer_id: "k1", ordered_at: `2024-0${m}-01 12:00:00`, status: "completed", gross_amount: 2000,
  })),
  { order_id: "ox", customer_id: "k2", ordered_at: "2024-12-01 12:00:00", status: "cancelled", gross_amount: 9000 },
];
// 2025-01-06 is a Monday; 2025-01-10 a Friday; 2025-01-31 a Friday.
const tickets = [
  // t1: after-sale, core customer → 60 min SLA; opened Mon 23:40, answered Tue 00:30 (crosses midnight: 50 min, met);
  // resolved Tue 10:00 = 10 h 20 min (general ≤ 24 h: met); called back 5 h later.
  {
    ticket_id: "t1", customer_id: "k1", channel: "phone", touchpoint: "after_sale", category: "delivery", is_complaint: true,
    severity: "general", created_at: "2025-01-06 23:40:00", first_response_at: "2025-01-07 00:30:00",
    resolved_at: "2025-01-07 10:00:00", contacts: 2, agent_id: "a1", callback_at: "2025-01-07 15:00:00", praised: true,
  },
  // t2: after-sale, basic customer → 240 min SLA; opened Fri 17:00, answered Mon 09:30 = 64.5 h = 3,870 wall minutes
  // (breached) but 60 (Fri 17–18) + 30 (Mon 9–9:30) = 90 business minutes (met); resolved Tue 12:00 after a
  // reopening: 91 wall hours > 48 (serious: breached), business 60 + 540 + 180 = 780 min = 13 h (met). 4 contacts.
  {
    ticket_id: "t2", customer_id: "k2", channel: "online_chat", touchpoint: "after_sale", category: "refund", is_complaint: true,
    severity: "serious", created_at: "2025-01-10 17:00:00", first_response_at: "2025-01-13 09:30:00",
    resolved_at: "2025-01-14 12:00:00", reopened_count: 1, contacts: 4, agent_id: "a2",
  },
  // t3: pre-sale question (60 min SLA), never answered; at the as-of moment (t4's creation, Fri 01-31 20:00) it has
  // waited 11 d 10 h: breached. Unresolved for 274 h > 24 h: resolution breached too.
  {
    ticket_id: "t3", customer_id: "k2", channel: "email", touchpoint: "pre_sale", category: "billing", is_complaint: false,
    severity: "general", created_at: "2025-01-20 10:00:00",
  },
  // t4: purchase complaint (30 min SLA) opened at the as-of moment: no response yet, still pending. k2 complained
  // 21 days earlier (t2): a repeat complaint.
  {
    ticket_id: "t4", customer_id: "k2", channel: "wechat", touchpoint: "purchase", category: "delivery", is_complaint: true,
    severity: "general", created_at: "2025-01-31 20:00:00",
  },
];
const surveys = [
  { response_id: "s1", customer_id: "k1", responded_at: "2025-01-08 10:00:00", survey_type: "csat", touchpoint: "after_sale", score: 5, ticket_id: "t1" },
  { response_id: "s2", customer_id: "k2", responded_at: "2025-01-15 10:00:00", survey_type: "csat", touchpoint: "after_sale", score: 2, ticket_id: "t2" },
  { response_id: "s3", customer_id: "k2", responded_at: "2025-01-15 10:05:00", survey_type: "nps", touchpoint: "after_sale", score: 10, ticket_id: "t2" },
];

async function build(config: unknown = {}) {
  const w = await freshWarehouse(config);
  await insertRows(w.db, "raw_customers", customers);
  await insertRows(w.db, "raw_orders", orders);
  await insertRows(w.db, "raw_tickets", tickets);
  await insertRows(w.db, "raw_survey_responses", surveys);
  await buildMarts(w.db);
  return w;
}

describe("ticket SLA (wall clock)", () => {
  it("times tickets across midnight, weekends, reopenings and missing timestamps", async () => {
    const w = await build();
    const rows = await queryRows(w.db, "select * from ticket_sla order by ticket_id");
    const by = Object.fromEntries(rows.map((r: Row) => [r.ticket_id, r]));
    expect(rows.map((r: Row) => [r.ticket_id, r.value_tier_at_ticket, r.response_sla_minutes, r.response_status, r.resolution_sla_hours, r.resolution_status])).toEqual([
      ["t1", "core", 60, "met", 24, "met"],
      ["t2", "basic", 240, "breached", 48, "breached"],
      ["t3", "basic", 60, "breached", 24, "breached"],
      ["t4", "basic", 30, "pending", 24, "pending"],
    ]);
    close(by.t1.first_response_minutes, 50);
    close(by.t1.resolution_hours, 10 + 20 / 60);
    close(by.t2.first_response_minutes, 3870);
    close(by.t2.resolution_hours, 91);
    expect(by.t3.first_response_minutes).toBeNull();
    close(by.t3.response_clock_minutes, (11 * 24 + 10) * 60);
    expect([by.t1.contacts_to_resolve, by.t2.contacts_to_resolve]).toEqual([2, 4]);
    expect([by.t1.resolved_within_max_contacts, by.t2.resolved_within_max_contacts, by.t3.resolved_within_max_contacts]).toEqual([true, false, false]);
    expect([by.t1.callback_within_window, by.t2.callback_within_window, by.t3.callback_within_window]).toEqual([true, false, null]);
    expect(rows.map((r: Row) => r.is_repeat_complaint)).toEqual([false, false, false, true]);
    expect(by.t2.was_reopened).toBe(true);
    // business clocks are reported beside the wall clock: Fri 17–18 + Mon 9–9:30; weekend excluded
    close(by.t2.first_response_business_minutes, 90);
    close(by.t2.resolution_business_hours, 13);
    close(by.t1.first_response_business_minutes, 0);
    close(by.t1.resolution_business_hours, 1);
  });

  it("counts the SLA in business hours when configured", async () => {
    const w = await build({ metrics: { sla_business_hours: 1 } });
    const rows = await queryRows(w.db, "select ticket_id, response_status, resolution_status, response_clock_minutes from ticket_sla order by ticket_id");
    // t3: Mon 20th 10–18 (480) + Tue–Fri 4 × 540 + Mon 27th–Fri 31st 5 × 540 = 5,340 business minutes > 60
    expect(rows.map((r: Row) => [r.ticket_id, r.response_status, r.resolution_status])).toEqual([
      ["t1", "met", "met"],
      ["t2", "met", "met"],
      ["t3", "breached", "breached"],
      ["t4", "pending", "pending"],
    ]);
    close(rows[2].response_clock_minutes, 5340);
  });
});

describe("service rates", () => {
  it("computes the monthly rates", async () => {
    const w = await build();
    const [all] = await queryRows(
      w.db,
      "select * from service_rates where period_type = 'month' and period_start = '2025-01-01' and dimension = 'all'",
    );
    expect([all.tickets, all.responses_met, all.responses_breached, all.responses_pending]).toEqual([4, 1, 2, 1]);
    close(all.response_timeliness_rate, 1 / 3); // pending t4 is not decided yet
    close(all.first_response_within_default_rate, 0); // 50 and 3,870 min, neither ≤ 30
    close(all.median_first_response_minutes, (50 + 3870) / 2);
    close(all.complaint_resolution_rate, 2 / 3); // t1, t2 resolved of t1, t2, t4
    close(all.resolution_met_rate, 1 / 2); // t1 met, t2 breached, t4 pending
    close(all.median_resolution_hours, (10 + 20 / 60 + 91) / 2);
    close(all.resolved_within_contacts_rate, 1 / 2);
    close(all.callback_rate, 1 / 2);
    close(all.repeat_complaint_rate, 1 / 3);
    const [serious] = await queryRows(
      w.db,
      "select * from service_rates where period_type = 'quarter' and dimension = 'severity' and segment = 'serious'",
    );
    expect([serious.period_start, serious.complaints, serious.resolution_met_rate]).toEqual(["2025-01-01", 1, 0]);
  });

  it("ranks agents by praise, CSAT of linked surveys and resolution", async () => {
    const w = await build();
    const rows = await queryRows(
      w.db,
      "select agent_id, tickets, praise_count, resolution_rate, csat_responses, csat_mean, csat_share, rank from agent_leaderboard where period_type = 'month' order by rank",
    );
    expect(rows).toEqual([
      { agent_id: "a1", tickets: 1, praise_count: 1, resolution_rate: 1, csat_responses: 1, csat_mean: 5, csat_share: 1, rank: 1 },
      { agent_id: "a2", tickets: 1, praise_count: 0, resolution_rate: 1, csat_responses: 1, csat_mean: 2, csat_share: 0, rank: 2 },
    ]);
  });

  it("builds on an empty warehouse", async () => {
    const w = await freshWarehouse();
    await buildMarts(w.db);
    for (const t of MARTS) expect(await queryRows(w.db, `select count(*)::int as n from ${t}`)).toEqual([{ n: 0 }]);
  });
});
