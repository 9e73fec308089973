import { DAY, DAYS, dayAtOperational, END, formatDay, isPeakDay, toOperational } from "./calendar.ts";
import { timeOfDay } from "./customers.ts";
import type { Rng } from "./prng.ts";
import { BTYD } from "./scale.ts";

export type OrderStatus = "completed" | "cancelled" | "refunded" | "partially_refunded";

/** An order in the simulation; discount and campaign fields change when a campaign treats the customer. */
export interface DemoOrder {
  t: number;
  gross: number;
  status: OrderStatus;
  /** Share of the paid amount refunded for partial refunds. */
  refundShare: number;
  channel: string;
  couponCode?: string;
  discount: number;
  /** Index into the campaign list of the campaign whose benefit the order used, or -1. */
  campaign: number;
  /** Cost of that benefit (campaign_redemptions.cost), 0 when none. */
  benefitCost: number;
  /** Loyalty points multiplier granted by a campaign. */
  pointsMultiplier: number;
  deliveryIssue: boolean;
  qualityIssue: boolean;
  id: string;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export function refundAmount(o: Pick<DemoOrder, "status" | "gross" | "discount" | "refundShare">): number {
  if (o.status === "refunded") return round2(o.gross - o.discount);
  if (o.status === "partially_refunded") return round2((o.gross - o.discount) * o.refundShare);
  return 0;
}

/** THE revenue definition (as in stg_orders): cancelled = 0, else gross − discount − refund. */
export function netAmount(o: Pick<DemoOrder, "status" | "gross" | "discount" | "refundShare">): number {
  if (o.status === "cancelled") return 0;
  return round2(o.gross - o.discount - refundAmount(o));
}

/** Everyday and festival coupons: [code, minimum spend, value]. */
const EVERYDAY_COUPONS: readonly [string, number, number][] = [["FULL200-20", 200, 20], ["FULL100-10", 100, 10], ["MEMBER15", 99, 15]];

function festivalCoupon(day: number): [string, number, number] | undefined {
  const md = formatDay(day).slice(5);
  if (md >= "11-01" && md <= "11-11") return ["D11-50", 300, 50];
  if (md >= "06-01" && md <= "06-18") return ["M618-40", 300, 40];
  if (md === "12-12") return ["D12-30", 200, 30];
  return undefined;
}

export interface Spend {
  /** Gamma-Gamma: per-order spend ~ Gamma(shape, rate). */
  shape: number;
  rate: number;
}

/**
 * Draw one order on `day`. Every order takes the same draws in the same order, so a campaign can replay
 * a customer's orders under treatment and control with common random numbers.
 */
export function drawOrder(rng: Rng, day: number, spend: Spend, tob: boolean): DemoOrder {
  const t = day * DAY + timeOfDay(rng);
  const gross = Math.max(9.9, round2(rng.gamma(spend.shape, spend.rate)));
  const peak = isPeakDay(day) || isPeakDay(day - 1) || isPeakDay(day - 2);
  const deliveryIssue = rng.chance(peak ? 0.12 : 0.035);
  const qualityIssue = rng.chance(0.02);
  const uStatus = rng.next();
  const refundShare = rng.uniform(0.1, 0.6);
  const uCoupon = rng.next();
  const uKind = rng.next();
  const uChannel = rng.next();
  let status: OrderStatus = "completed";
  if (uStatus < 0.03) status = "cancelled";
  else if (qualityIssue) status = uStatus < 0.45 ? "refunded" : uStatus < 0.75 ? "partially_refunded" : "completed";
  else if (uStatus < 0.05) status = "refunded";
  else if (uStatus < 0.075) status = "partially_refunded";
  const festival = festivalCoupon(day);
  let couponCode: string | undefined;
  let discount = 0;
  if (uCoupon < (festival ? 0.35 : 0.1)) {
    const [code, min, value] = festival && uKind < 0.8 ? festival : EVERYDAY_COUPONS[Math.floor(uKind * EVERYDAY_COUPONS.length)];
    if (gross >= min) {
      couponCode = code;
      discount = value;
    }
  }
  const channel = tob ? (uChannel < 0.75 ? "sales" : "online") : uChannel < 0.35 ? "online" : uChannel < 0.65 ? "app" : uChannel < 0.85 ? "mini_program" : "store";
  return {
    t, gross, status, refundShare, channel, couponCode, discount, campaign: -1, benefitCost: 0, pointsMultiplier: 1,
    deliveryIssue: deliveryIssue && status !== "cancelled", qualityIssue: qualityIssue && status !== "cancelled", id: "",
  };
}

/** Order days of a Poisson process with `rate` per ordinary day over calendar [from, to) seconds. */
export function poissonDays(rng: Rng, rate: number, from: number, to: number): number[] {
  const days: number[] = [];
  if (rate <= 0 || from >= to) return days;
  let u = toOperational(from);
  const lastDay = Math.min(DAYS, Math.ceil(to / DAY));
  for (;;) {
    u += rng.exp(1 / rate);
    const day = dayAtOperational(u);
    if (day >= lastDay) return days;
    days.push(day);
  }
}

/** A consumer's latent buying behaviour. */
export interface Buyer {
  rate: number;
  dropout: number;
  spend: Spend;
  /** Time of the purchase after which the customer dropped out (Infinity if still alive at the as-of date). */
  death: number;
}

export function drawTocBuyer(rng: Rng): Buyer {
  const p = BTYD.toc;
  return { rate: rng.gamma(p.r, p.alpha), dropout: rng.beta(p.a, p.b), spend: { shape: p.spend_p, rate: rng.gamma(p.spend_q, p.spend_gamma) }, death: Infinity };
}

/**
 * BG/NBD purchase days for a consumer who signed up at `signup`: a first order soon after sign-up (for most),
 * then repeat purchases at rate λ on the seasonal clock, each followed by dropout with probability p.
 * Sets buyer.death.
 */
export function tocOrderDays(rng: Rng, buyer: Buyer, signup: number): number[] {
  const days: number[] = [];
  if (!rng.chance(BTYD.toc.first_order_share)) {
    buyer.death = signup;
    return days;
  }
  let t = signup + rng.exp(2 * DAY);
  if (t >= END) return days;
  let u = toOperational(t);
  days.push(Math.floor(t / DAY));
  for (;;) {
    if (rng.chance(buyer.dropout)) {
      buyer.death = Math.floor(t / DAY) * DAY + DAY;
      return days;
    }
    u += rng.exp(1 / buyer.rate);
    const day = dayAtOperational(u);
    if (day >= DAYS) return days;
    days.push(day);
    t = day * DAY;
  }
}
