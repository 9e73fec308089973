import { DAY } from "./calendar.ts";
import { CAMPAIGNS, campaignWindow, type CampaignWindow } from "./campaigns.ts";
import type { DemoCustomer } from "./customers.ts";
import { drawOrder, netAmount, poissonDays, round2, type Buyer, type DemoOrder } from "./orders.ts";
import { Rng } from "./prng.ts";

/** Running sums behind a campaign's planted truth. */
export interface CampaignTally {
  treated: number;
  holdout: number;
  /** Window net revenue of treated customers as realised (treated potential outcome). */
  sumTreatedObserved: number;
  sumSqTreatedObserved: number;
  /** The same customers' window net revenue had they not been treated (control potential outcome). */
  sumTreatedCounterfactual: number;
  sumHoldout: number;
  sumSqHoldout: number;
}

export const newTally = (): CampaignTally => ({ treated: 0, holdout: 0, sumTreatedObserved: 0, sumSqTreatedObserved: 0, sumTreatedCounterfactual: 0, sumHoldout: 0, sumSqHoldout: 0 });

export const WINDOWS: readonly CampaignWindow[] = CAMPAIGNS.map(campaignWindow);

/** Stream key separating campaign draws from everything else a customer draws. */
const CAMPAIGN_STREAM = 7_000_003;

function eligible(k: number, customer: DemoCustomer, orders: readonly DemoOrder[]): boolean {
  const c = CAMPAIGNS[k];
  const w = WINDOWS[k];
  if (customer.type !== "ToC" || customer.signup >= w.start - 14 * DAY) return false;
  let last = -Infinity;
  for (const o of orders) if (o.t < w.start && o.t > last) last = o.t;
  if (last === -Infinity) return false;
  const gap = w.start - last;
  if (c.audience === "lapsed") return gap > 60 * DAY && gap <= 365 * DAY;
  if (gap > 180 * DAY) return false;
  return c.audience === "members" ? customer.member : true;
}

/** Give an order the campaign's benefit if the customer uses it; the draw is taken either way. */
function applyBenefit(k: number, o: DemoOrder, member: boolean, rng: Rng): void {
  const c = CAMPAIGNS[k];
  const uUse = rng.next();
  if (c.coupon) {
    if (o.gross >= c.coupon.minSpend && uUse < c.coupon.useRate) {
      o.discount = c.coupon.value;
      o.couponCode = c.coupon.code;
      o.campaign = k;
      o.benefitCost = o.status === "cancelled" ? 0 : c.coupon.value;
    }
    return;
  }
  const net = netAmount(o);
  if (net <= 0) return;
  if (c.cashbackRate !== undefined) {
    o.campaign = k;
    o.benefitCost = round2(c.cashbackRate * net);
  } else if (c.pointsMultiplier !== undefined && member) {
    o.campaign = k;
    o.pointsMultiplier = c.pointsMultiplier;
    o.benefitCost = round2((c.pointsMultiplier - 1) * Math.floor(net) * 0.01);
  }
}

/**
 * Assign the customer to every campaign it is eligible for and, for each, simulate both potential outcomes
 * with the same random numbers: control = the orders as they are; treatment = those orders with the benefit
 * applied plus the extra purchases the offer triggers. Only the assigned arm is realised in `orders`;
 * both outcomes go into the tally, so the planted effect is exact for the customers actually assigned.
 */
export function applyCampaigns(
  seed: number,
  customer: DemoCustomer,
  buyer: Buyer,
  orders: DemoOrder[],
  tallies: CampaignTally[],
  arms: Int8Array[],
  onAssign: (k: number, treated: boolean) => void,
): void {
  for (let k = 0; k < CAMPAIGNS.length; k++) {
    if (!eligible(k, customer, orders)) continue;
    const c = CAMPAIGNS[k];
    const w = WINDOWS[k];
    const rng = new Rng(seed, CAMPAIGN_STREAM, customer.index, k);
    if (!rng.chance(c.sampleShare)) continue;
    const uArm = rng.next();
    const treated = !c.hasHoldout || uArm >= c.holdoutShare;
    arms[k][customer.index] = treated ? 1 : 2;
    onAssign(k, treated);

    let control = 0;
    const offered: DemoOrder[] = [];
    for (const o of orders) {
      if (o.t >= w.start && o.t < w.windowEnd) control += netAmount(o);
      if (o.t >= w.start && o.t < w.offerEnd) offered.push(o);
    }
    offered.sort((a, b) => a.t - b.t);
    const changed = offered.map((o) => ({ ...o }));
    const extras: DemoOrder[] = [];
    if (c.lift > 0) {
      const from = Math.max(w.start, customer.signup);
      const to = Math.min(w.offerEnd, buyer.death);
      for (const day of poissonDays(rng, buyer.rate * c.lift, from, to)) {
        const o = drawOrder(rng, day, buyer.spend, false);
        if (o.t < from) o.t = from + 600;
        extras.push(o);
      }
    }
    for (const o of changed) applyBenefit(k, o, customer.member, rng);
    for (const o of extras) applyBenefit(k, o, customer.member, rng);
    let treatedOutcome = control;
    for (let i = 0; i < offered.length; i++) treatedOutcome += netAmount(changed[i]) - netAmount(offered[i]);
    for (const o of extras) treatedOutcome += netAmount(o);

    const t = tallies[k];
    if (treated) {
      for (let i = 0; i < offered.length; i++) Object.assign(offered[i], changed[i]);
      orders.push(...extras);
      t.treated++;
      t.sumTreatedObserved += treatedOutcome;
      t.sumSqTreatedObserved += treatedOutcome * treatedOutcome;
      t.sumTreatedCounterfactual += control;
    } else {
      t.holdout++;
      t.sumHoldout += control;
      t.sumSqHoldout += control * control;
    }
  }
}
