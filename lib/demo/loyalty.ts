import { DAY, dayOf, END } from "./calendar.ts";
import type { Cell } from "./csv-writer.ts";
import { netAmount, type DemoOrder } from "./orders.ts";
import type { Rng } from "./prng.ts";
import { LOYALTY } from "./scale.ts";

export type Tier = "basic" | "silver" | "gold" | "vip";
const TIERS: Tier[] = ["basic", "silver", "gold", "vip"];
const { silver, gold, vip } = LOYALTY.tier_thresholds_rolling_365d_net_spend;

function tierFor(spend: number): number {
  return spend >= vip ? 3 : spend >= gold ? 2 : spend >= silver ? 1 : 0;
}

/** Annual tier reviews, when members whose spending fell are moved down. */
const REVIEWS = ["2024-01-01", "2025-01-01"].map((d) => dayOf(d) * DAY);

interface Pending {
  t: number;
  kind: "purchase" | "signin" | "review" | "share" | "tier_review";
  points: number;
  order?: DemoOrder;
}

/**
 * Build a member's points ledger in time order: earn (1 point per ¥1 of net order value, times any campaign
 * multiplier; sign-in, review and share tasks), redeem (oldest points first), expire (points older than the
 * expiry period), and tier changes by rolling 365-day net spend. The balance never goes negative.
 * Calls `emit` with the row cells after event_id and customer_id; returns the final tier.
 */
export function memberLedger(rng: Rng, signup: number, death: number, orders: readonly DemoOrder[], emit: (cells: Cell[], t: number) => void): Tier {
  const pending: Pending[] = [];
  for (const o of orders) {
    const net = netAmount(o);
    if (net <= 0) continue;
    pending.push({ t: o.t + 60, kind: "purchase", points: Math.floor(net * LOYALTY.points_per_yuan * o.pointsMultiplier), order: o });
    if (rng.chance(0.12)) pending.push({ t: o.t + rng.uniform(3, 10) * DAY, kind: "review", points: LOYALTY.review_points });
    if (rng.chance(0.04)) pending.push({ t: o.t + rng.uniform(0.1, 2) * DAY, kind: "share", points: LOYALTY.share_points });
  }
  if (rng.chance(0.35)) {
    const until = Math.min(END, death + 30 * DAY);
    for (let t = signup + rng.exp(20 * DAY); t < until; t += rng.exp(20 * DAY)) pending.push({ t, kind: "signin", points: LOYALTY.signin_points });
  }
  for (const r of REVIEWS) if (r > signup) pending.push({ t: r, kind: "tier_review", points: 0 });
  pending.sort((a, b) => a.t - b.t);

  const lots: { t: number; left: number }[] = [];
  let head = 0;
  let balance = 0;
  let tier = 0;
  const spendWindow: { t: number; net: number }[] = [];
  let spendHead = 0;
  let spend = 0;
  const expireUntil = (t: number) => {
    while (head < lots.length && lots[head].t + LOYALTY.expiry_days * DAY <= t) {
      const lot = lots[head++];
      if (lot.left > 0) {
        emit(["expire", lot.left, undefined, undefined, undefined], lot.t + LOYALTY.expiry_days * DAY);
        balance -= lot.left;
        lot.left = 0;
      }
    }
  };
  const rollSpend = (t: number) => {
    while (spendHead < spendWindow.length && spendWindow[spendHead].t <= t - 365 * DAY) spend -= spendWindow[spendHead++].net;
  };
  const changeTier = (to: number, t: number) => {
    if (to === tier) return;
    emit(["tier_change", 0, undefined, TIERS[tier], TIERS[to]], t);
    tier = to;
  };

  for (const p of pending) {
    if (p.t >= END) break;
    expireUntil(p.t);
    if (p.kind === "tier_review") {
      rollSpend(p.t);
      changeTier(tierFor(spend), p.t);
      continue;
    }
    if (p.points <= 0) continue;
    const eventType = p.kind === "purchase" ? "earn_purchase" : p.kind === "signin" ? "earn_signin" : p.kind === "review" ? "earn_review" : "earn_share";
    emit([eventType, p.points, p.order?.id, undefined, undefined], p.t);
    lots.push({ t: p.t, left: p.points });
    balance += p.points;
    if (p.order) {
      const net = netAmount(p.order);
      spendWindow.push({ t: p.order.t, net });
      spend += net;
      rollSpend(p.t);
      const target = tierFor(spend);
      if (target > tier) changeTier(target, p.t + 30);
    }
    if (balance >= 1000 && rng.chance(0.06)) {
      let amount = Math.floor((balance * rng.uniform(0.3, 1)) / 100) * 100;
      amount = Math.min(amount, balance);
      if (amount >= 100 && p.t + 120 < END) {
        emit(["redeem", amount, undefined, undefined, undefined], p.t + 120);
        balance -= amount;
        for (let rest = amount; rest > 0; ) {
          const lot = lots[head];
          const used = Math.min(lot.left, rest);
          lot.left -= used;
          rest -= used;
          if (lot.left === 0) head++;
        }
      }
    }
  }
  expireUntil(END - 1);
  return TIERS[tier];
}
