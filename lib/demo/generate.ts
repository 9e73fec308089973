import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { entityContracts } from "../../loaders/contract-columns.ts";
import { AS_OF, DAY, END, FIRST_DAY, formatDay, formatTime, HOUR } from "./calendar.ts";
import { CAMPAIGNS } from "./campaigns.ts";
import { businessHistory } from "./contracts.ts";
import { CsvWriter, type Cell } from "./csv-writer.ts";
import { customerId, drawCustomer, type DemoCustomer } from "./customers.ts";
import { memberLedger } from "./loyalty.ts";
import { drawOrder, drawTocBuyer, refundAmount, tocOrderDays, type DemoOrder } from "./orders.ts";
import { plantsFor } from "./bad-rows.ts";
import { Rng } from "./prng.ts";
import { CUSTOMERS, type Scale } from "./scale.ts";
import { answer, surveyRow, type SurveyAnswer } from "./surveys.ts";
import { applyCampaigns, newTally, WINDOWS, type CampaignTally } from "./treatment.ts";
import { CATEGORIES, CHANNELS, SEVERITIES, ServiceDesk, TicketBuffer, ticketCauses, ticketsForOrder, ticketTouchpoint } from "./tickets.ts";
import { buildTruth, type DemoTruth } from "./truth.ts";
import type { Cause } from "./vocab.ts";

export interface DemoOptions {
  scale: Scale;
  seed: number;
  out: string;
  /** Leave out the deliberately bad rows and duplicates. */
  clean?: boolean;
  /** Called with the number of customers simulated since the last call (every 1,000). */
  onProgress?: (done: number) => void;
  /** Override the customer count (tests and benchmarks). */
  customers?: number;
}

/** The entities the demo writes, in contract order. */
export const DEMO_ENTITIES = ["customers", "orders", "contracts", "survey_responses", "tickets", "loyalty_events", "campaigns", "campaign_assignments", "campaign_redemptions"] as const;
type Entity = (typeof DEMO_ENTITIES)[number];

const pad = (prefix: string, n: number, width: number) => `${prefix}${String(n).padStart(width, "0")}`;

/** Generate the demo company into `out` (one CSV per entity plus truth.json) and return the truth. */
export function generateDemo(options: DemoOptions): DemoTruth {
  const { seed, out, clean = false } = options;
  const n = options.customers ?? CUSTOMERS[options.scale];
  mkdirSync(out, { recursive: true });
  const writers = {} as Record<Entity, CsvWriter>;
  for (const entity of DEMO_ENTITIES) {
    const contract = entityContracts.find((c) => c.entity === entity);
    if (!contract) throw new Error(`no loader contract for demo entity ${entity}`);
    const columns = contract.columns.map((c) => c.name);
    writers[entity] = new CsvWriter(join(out, `${entity}.csv`), entity, columns, clean ? [] : plantsFor(entity, columns));
  }
  const ids = { order: 0, contract: 0, survey: 0, event: 0, redemption: 0 };
  const tallies: CampaignTally[] = CAMPAIGNS.map(newTally);
  const costs = CAMPAIGNS.map(() => ({ redemptions: 0, cost: 0 }));
  const referrals = CAMPAIGNS.map(() => ({ treated: 0, holdout: 0 }));
  const treatedLists: number[][] = CAMPAIGNS.map(() => []);
  const arms = CAMPAIGNS.map(() => new Int8Array(n));
  const signups = new Float64Array(n);
  const tickets = new TicketBuffer();
  const referralCampaigns = CAMPAIGNS.map((c, k) => (c.type === "referral" ? k : -1)).filter((k) => k >= 0);

  for (const [k, c] of CAMPAIGNS.entries()) {
    writers.campaigns.write([c.id, c.name, c.type, c.start, formatDay(WINDOWS[k].offerEnd / DAY - 1), c.measurementDays, c.hasHoldout, c.offer]);
  }

  const redeem = (k: number, customer: string, orderId: string | undefined, t: number, cost: number) => {
    writers.campaign_redemptions.write([pad("R", ++ids.redemption, 8), CAMPAIGNS[k].id, customer, orderId, formatTime(Math.min(t, END - 1)), cost]);
    costs[k].redemptions++;
    costs[k].cost += cost;
  };
  const survey = (rng: Rng, a: SurveyAnswer) => {
    if (a.t >= END) return;
    writers.survey_responses.write(surveyRow(pad("S", ++ids.survey, 8), a, answer(rng, a.mood, a.causes), formatTime(a.t)));
  };

  for (let i = 0; i < n; i++) {
    const rng = new Rng(seed, 1, i);
    const customer = drawCustomer(rng, i, n);
    signups[i] = customer.signup;
    const activeReferral = referralCampaigns.filter((k) => customer.signup >= WINDOWS[k].start && customer.signup < WINDOWS[k].offerEnd);
    if (activeReferral.length > 0 && customer.type === "ToC" && rng.chance(0.2)) customer.channel = "referral";
    const referrer = customer.channel === "referral" ? chooseReferrer(rng, customer, signups, activeReferral, treatedLists) : undefined;
    if (referrer !== undefined) {
      for (const k of referralCampaigns) {
        const w = WINDOWS[k];
        if (customer.signup < w.start || customer.signup >= w.offerEnd) continue;
        if (arms[k][referrer] === 1) {
          referrals[k].treated++;
          redeem(k, customerId(referrer), undefined, customer.signup, CAMPAIGNS[k].referralReward ?? 0);
        } else if (arms[k][referrer] === 2) referrals[k].holdout++;
      }
    }

    let orders: DemoOrder[];
    let death = END;
    if (customer.type === "ToB") {
      const history = businessHistory(rng, customer, tickets);
      orders = history.orders;
      const contractIds: string[] = [];
      for (const c of history.contracts) {
        const id = pad("K", ++ids.contract, 7);
        contractIds.push(id);
        writers.contracts.write([id, customer.id, formatDay(c.startDay), formatDay(c.endDay), c.annualValue, c.renews >= 0 ? contractIds[c.renews] : undefined, c.status]);
      }
    } else {
      const buyer = drawTocBuyer(rng);
      orders = tocOrderDays(rng, buyer, customer.signup).map((day) => {
        const o = drawOrder(rng, day, buyer.spend, false);
        if (o.t < customer.signup) o.t = customer.signup + 600;
        return o;
      });
      death = buyer.death;
      applyCampaigns(seed, customer, buyer, orders, tallies, arms, (k, treated) => {
        if (treated && CAMPAIGNS[k].type === "referral") treatedLists[k].push(customer.index);
        writers.campaign_assignments.write([CAMPAIGNS[k].id, customer.id, treated ? "treatment" : "holdout", formatDay(WINDOWS[k].start / DAY - 1)]);
      });
      for (const o of orders) ticketsForOrder(rng, customer, o, tickets);
    }
    orders.sort((a, b) => a.t - b.t);
    for (const o of orders) {
      o.id = pad("O", ++ids.order, 9);
      writers.orders.write([o.id, customer.id, formatTime(o.t), o.status, o.channel, o.gross, o.discount, refundAmount(o), o.couponCode, o.campaign >= 0 ? CAMPAIGNS[o.campaign].id : undefined]);
      if (o.campaign >= 0 && o.benefitCost > 0) {
        const cashback = CAMPAIGNS[o.campaign].type === "cashback";
        redeem(o.campaign, customer.id, o.id, o.t + (cashback ? 7 * DAY : 0), o.benefitCost);
      }
    }
    if (rng.chance(0.06)) tickets.add(rng, customer, customer.signup + rng.uniform(0, 200) * DAY, 4, 0.2);

    serveSurveys(rng, customer, orders, survey);

    let tier: string | undefined;
    if (customer.member) {
      tier = memberLedger(rng, customer.signup, death, orders, (cells: Cell[], t: number) => {
        writers.loyalty_events.write([pad("L", ++ids.event, 9), customer.id, formatTime(t), ...cells]);
      });
      if (rng.chance(0.1)) survey(rng, { customerId: customer.id, t: customer.signup + rng.uniform(60, 400) * DAY, touchpoint: "loyalty", mood: customer.satisfaction + (tier === "gold" || tier === "vip" ? 0.4 : 0), causes: ["price"] });
    }
    writers.customers.write([
      customer.id, customer.type, customer.name, customer.companyName, customer.phone, customer.email, customer.address, customer.city,
      customer.region, customer.channel, referrer === undefined ? undefined : customerId(referrer), formatDay(Math.floor(customer.signup / DAY)),
      customer.member, tier,
    ]);
    if ((i + 1) % 1000 === 0) options.onProgress?.(1000);
  }
  options.onProgress?.(n % 1000);

  const desk = new ServiceDesk(seed, tickets);
  for (let i = 0; i < tickets.length; i++) {
    const outcome = desk.handle(tickets, i);
    const id = pad("T", i + 1, 8);
    const created = tickets.created[i];
    const customer = customerId(tickets.customer[i]);
    writers.tickets.write([
      id, customer, CHANNELS[tickets.channel[i]], ticketTouchpoint(tickets.category[i]), CATEGORIES[tickets.category[i]], tickets.complaint[i] === 1,
      SEVERITIES[tickets.severity[i]], formatTime(created), outcome.firstResponse === undefined ? undefined : formatTime(outcome.firstResponse),
      outcome.resolved === undefined ? undefined : formatTime(outcome.resolved), outcome.reopened, outcome.contacts, desk.agentId(outcome.agent),
      outcome.callback === undefined ? undefined : formatTime(outcome.callback), outcome.praised,
    ]);
    const rng = new Rng(seed, 8_300_007, i);
    if (rng.chance(tickets.complaint[i] === 1 ? 0.45 : 0.3)) {
      const causes = ticketCauses(tickets, i, outcome);
      const mood = tickets.satisfaction[i] + 0.2 - (outcome.slow ? 0.9 : 0) - (outcome.resolved === undefined ? 1.6 : 0) - 0.5 * outcome.reopened - (outcome.rudeAgent ? 1.0 : 0) - (tickets.severity[i] > 0 ? 0.6 : 0) + (outcome.praised ? 0.5 : 0);
      survey(rng, { customerId: customer, t: (outcome.resolved ?? created + 3 * DAY) + rng.uniform(1, 36) * HOUR, touchpoint: ticketTouchpoint(tickets.category[i]) === "pre_sale" ? "pre_sale" : "after_sale", mood, causes, ticketId: id });
    }
  }

  for (const w of Object.values(writers)) w.close();
  const truth = buildTruth({ seed, scale: options.scale, customers: n, clean, writers: Object.values(writers), tallies, costs, referrals, agents: desk.agents, tickets: tickets.length });
  writeFileSync(join(out, "truth.json"), `${JSON.stringify(truth, null, 2)}\n`);
  return truth;
}

/**
 * A referrer signed up before the customer. While a referral campaign runs it brings in more referred sign-ups,
 * most of them through the customers it treated.
 */
function chooseReferrer(rng: Rng, customer: DemoCustomer, signups: Float64Array, active: number[], treatedLists: number[][]): number | undefined {
  if (customer.index === 0) return undefined;
  for (let attempt = 0; attempt < 20; attempt++) {
    const treated = active.length > 0 && rng.chance(0.6) ? treatedLists[active[0]] : undefined;
    const j = treated && treated.length > 0 ? treated[Math.floor(rng.next() * treated.length)] : Math.floor(rng.next() * customer.index);
    if (signups[j] < customer.signup - HOUR) return j;
  }
  return undefined;
}

/** Purchase and pre-sale surveys: answers sink with delivery, quality and refund trouble on the order asked about. */
function serveSurveys(rng: Rng, customer: DemoCustomer, orders: readonly DemoOrder[], survey: (rng: Rng, a: SurveyAnswer) => void): void {
  if (rng.chance(0.08)) survey(rng, { customerId: customer.id, t: customer.signup + rng.uniform(0.05, 2) * DAY, touchpoint: "pre_sale", mood: customer.satisfaction + 0.2, causes: [] });
  for (const o of orders) {
    if (o.status === "cancelled" || !rng.chance(0.06)) continue;
    const causes: Cause[] = [];
    if (o.deliveryIssue) causes.push("delivery");
    if (o.qualityIssue) causes.push("quality");
    if (o.status !== "completed") causes.push("refund");
    const mood = customer.satisfaction - (o.deliveryIssue ? 1.5 : 0) - (o.qualityIssue ? 1.7 : 0) - (o.status !== "completed" ? 0.8 : 0);
    survey(rng, { customerId: customer.id, t: o.t + rng.uniform(1, 5) * DAY, touchpoint: "purchase", mood, causes, orderId: o.id });
  }
}

export { AS_OF, FIRST_DAY };
