import { DAY, DAYS, END, HOUR, weekday } from "./calendar.ts";
import type { DemoCustomer } from "./customers.ts";
import type { DemoOrder } from "./orders.ts";
import { Rng } from "./prng.ts";
import type { Cause } from "./vocab.ts";

export const CHANNELS = ["phone", "online_chat", "email", "wechat", "store"] as const;
const TOC_CHANNEL_WEIGHTS = [28, 32, 8, 22, 10];
const TOB_CHANNEL_WEIGHTS = [45, 0, 40, 15, 0];
export const TOUCHPOINTS = ["pre_sale", "purchase", "after_sale"] as const;
export const CATEGORIES = ["delivery", "product_quality", "refund", "billing", "account", "installation", "other"] as const;
const CATEGORY_TOUCHPOINT = [1, 2, 2, 1, 0, 2, 0];
export const SEVERITIES = ["general", "serious", "major"] as const;

/**
 * Tickets wait here in typed arrays until every customer has been simulated: how fast the desk answers
 * depends on how many tickets arrive that day, which is only known at the end.
 */
export class TicketBuffer {
  length = 0;
  customer = new Int32Array(1024);
  created = new Int32Array(1024);
  channel = new Uint8Array(1024);
  category = new Uint8Array(1024);
  complaint = new Uint8Array(1024);
  severity = new Uint8Array(1024);
  satisfaction = new Float32Array(1024);

  private grow(): void {
    const n = this.customer.length * 2;
    const copy = <T extends Int32Array | Uint8Array | Float32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.customer = copy(this.customer, (k) => new Int32Array(k));
    this.created = copy(this.created, (k) => new Int32Array(k));
    this.channel = copy(this.channel, (k) => new Uint8Array(k));
    this.category = copy(this.category, (k) => new Uint8Array(k));
    this.complaint = copy(this.complaint, (k) => new Uint8Array(k));
    this.severity = copy(this.severity, (k) => new Uint8Array(k));
    this.satisfaction = copy(this.satisfaction, (k) => new Float32Array(k));
  }

  add(rng: Rng, customer: DemoCustomer, t: number, category: number, complaintChance: number): boolean {
    if (t < customer.signup || t >= END) return false;
    if (this.length === this.customer.length) this.grow();
    const i = this.length++;
    const complaint = rng.chance(complaintChance);
    this.customer[i] = customer.index;
    this.created[i] = Math.floor(t);
    this.channel[i] = rng.weighted(customer.type === "ToB" ? TOB_CHANNEL_WEIGHTS : TOC_CHANNEL_WEIGHTS);
    this.category[i] = category;
    this.complaint[i] = complaint ? 1 : 0;
    this.severity[i] = complaint ? rng.weighted([78, 18, 4]) : 0;
    this.satisfaction[i] = customer.satisfaction;
    return complaint;
  }
}

/** Tickets an order causes: pre-sale questions, delivery and quality problems, refunds, installation. Returns complaints raised. */
export function ticketsForOrder(rng: Rng, customer: DemoCustomer, o: DemoOrder, buffer: TicketBuffer): number {
  const tob = customer.type === "ToB";
  let complaints = 0;
  const u = [rng.next(), rng.next(), rng.next(), rng.next(), rng.next(), rng.next()];
  const lag = (lo: number, hi: number) => o.t + (lo + (hi - lo) * rng.next()) * DAY;
  if (u[0] < (tob ? 0.08 : 0.025)) buffer.add(rng, customer, o.t - (1 + 70 * rng.next()) * HOUR, 6, 0.05);
  if (o.deliveryIssue && u[1] < 0.7 && buffer.add(rng, customer, lag(2, 6), 0, 0.6)) complaints++;
  if (o.qualityIssue && u[2] < 0.8 && buffer.add(rng, customer, lag(3, 20), 1, 0.7)) complaints++;
  if ((o.status === "refunded" || o.status === "partially_refunded") && !o.qualityIssue && u[3] < 0.35 && buffer.add(rng, customer, lag(2, 10), 2, 0.35)) complaints++;
  if (u[4] < 0.01 && buffer.add(rng, customer, lag(1, 30), 3, 0.3)) complaints++;
  if (tob && u[5] < 0.12 && buffer.add(rng, customer, lag(1, 5), 5, 0.15)) complaints++;
  return complaints;
}

/** What the desk did with one ticket. */
export interface TicketOutcome {
  firstResponse?: number;
  resolved?: number;
  reopened: number;
  contacts: number;
  agent: number;
  callback?: number;
  praised: boolean;
  /** First response slower than 30 min (4 h for e-mail): drives unhappy after-sale answers. */
  slow: boolean;
  rudeAgent: boolean;
}

const FIRST_RESPONSE_MINUTES = [1.5, 3, 60, 10, 6];
const RESOLUTION_HOURS = [6, 26, 60];

/** The service desk: agents with their own speed and manner, staffed by day, thin at night and at weekends. */
export class ServiceDesk {
  readonly daily = new Float64Array(DAYS);
  readonly meanDaily: number;
  readonly agents: number;
  readonly agentWidth: number;
  private skill: Float64Array;
  private rude: Uint8Array;

  constructor(
    private seed: number,
    buffer: TicketBuffer,
  ) {
    for (let i = 0; i < buffer.length; i++) this.daily[Math.floor(buffer.created[i] / DAY)]++;
    this.meanDaily = buffer.length / DAYS;
    this.agents = Math.max(12, Math.round(buffer.length / 250));
    this.agentWidth = Math.max(3, String(this.agents).length);
    const rng = new Rng(seed, 8_100_001);
    this.skill = new Float64Array(this.agents);
    this.rude = new Uint8Array(this.agents);
    for (let a = 0; a < this.agents; a++) {
      this.skill[a] = rng.normal(0, 0.35);
      this.rude[a] = rng.chance(0.08) ? 1 : 0;
    }
  }

  agentId(a: number): string {
    return `AG${String(a + 1).padStart(this.agentWidth, "0")}`;
  }

  /** Load of the ticket's day relative to an average day: the queue the agents face. */
  load(created: number): number {
    return this.daily[Math.floor(created / DAY)] / Math.max(this.meanDaily, 1e-9);
  }

  handle(buffer: TicketBuffer, i: number): TicketOutcome {
    const rng = new Rng(this.seed, 8_200_003, i);
    const created = buffer.created[i];
    const channel = buffer.channel[i];
    const agent = Math.floor(rng.next() * this.agents);
    const skill = this.skill[agent];
    const rudeAgent = this.rude[agent] === 1;
    const day = Math.floor(created / DAY);
    const hour = Math.floor((created - day * DAY) / HOUR);
    const weekend = weekday(day) === 0 || weekday(day) === 6;
    const load = Math.max(0.3, this.load(created));
    const night = hour < 8 || hour >= 22;
    let minutes = FIRST_RESPONSE_MINUTES[channel] * Math.pow(load, 1.3) * (weekend ? 1.6 : 1) * Math.exp(rng.normal(0, 0.7) - skill);
    if (night) {
      // Only the phone line is staffed at night; everything else waits for the 08:30 shift.
      if (channel === 0) minutes *= 3;
      else minutes += ((hour >= 22 ? 24 - hour + 8.5 : 8.5 - hour) * 60) - (created % HOUR) / 60;
    }
    const firstResponse = created + Math.max(20, minutes * 60);
    const slow = minutes > (channel === 2 ? 240 : 30);
    const complaint = buffer.complaint[i] === 1;
    const hours = (complaint ? RESOLUTION_HOURS[buffer.severity[i]] : 1.5) * Math.pow(load, 0.6) * Math.exp(rng.normal(0, 0.8) - 0.5 * skill);
    const reopened = rng.poisson(0.08 + (slow ? 0.25 : 0) + (complaint ? 0.1 : 0));
    let resolved: number | undefined = firstResponse + hours * HOUR;
    for (let r = 0; r < reopened; r++) resolved += rng.exp(24) * HOUR;
    const stuck = rng.chance(complaint && buffer.severity[i] === 2 ? 0.06 : 0.015);
    const contacts = 1 + reopened + rng.poisson(0.25 + (complaint ? 0.6 : 0) + (slow ? 0.3 : 0));
    const uCallback = rng.next();
    const callbackDelay = rng.exp(14) * HOUR;
    const uPraise = rng.next();
    if (stuck || resolved >= END) resolved = undefined;
    const callback = resolved !== undefined && uCallback < (complaint ? 0.85 : 0.5) && resolved + callbackDelay < END ? resolved + callbackDelay : undefined;
    const praiseOdds = Math.exp(-2.0 + 0.8 * skill - (slow ? 0.8 : 0) - (rudeAgent ? 1.5 : 0));
    return {
      firstResponse: firstResponse < END ? firstResponse : undefined,
      resolved,
      reopened,
      contacts,
      agent,
      callback,
      praised: resolved !== undefined && uPraise < praiseOdds / (1 + praiseOdds),
      slow,
      rudeAgent,
    };
  }
}

/** Causes of an unhappy after-sale answer, in the order a customer would name them. */
export function ticketCauses(buffer: TicketBuffer, i: number, out: TicketOutcome): Cause[] {
  const causes: Cause[] = [];
  if (out.slow) causes.push("response");
  if (out.resolved === undefined || out.reopened > 0) causes.push("unresolved");
  if (out.rudeAgent) causes.push("attitude");
  const category = buffer.category[i];
  if (category === 0) causes.push("delivery");
  if (category === 1) causes.push("quality");
  if (category === 2) causes.push("refund");
  return causes;
}

export const ticketTouchpoint = (category: number) => TOUCHPOINTS[CATEGORY_TOUCHPOINT[category]];
