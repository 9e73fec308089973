import { DAY, dayOf } from "./calendar.ts";

export type CampaignType = "coupon" | "points_multiplier" | "cashback" | "referral";

/** An incentive campaign and the behaviour it causes in treated customers. */
export interface CampaignDef {
  id: string;
  name: string;
  type: CampaignType;
  start: string;
  /** Days the offer runs (end_date = start + offerDays − 1). */
  offerDays: number;
  measurementDays: number;
  hasHoldout: boolean;
  /** Share of assigned customers randomly kept out (ignored without a holdout). */
  holdoutShare: number;
  /** Share of eligible customers assigned at all. */
  sampleShare: number;
  /** Extra purchase rate while the offer runs, as a multiple of the customer's own rate. */
  lift: number;
  /** Who is eligible: recently active buyers, members only, or lapsed buyers (win-back). */
  audience: "active" | "members" | "lapsed";
  coupon?: { code: string; minSpend: number; value: number; useRate: number };
  cashbackRate?: number;
  pointsMultiplier?: number;
  referralReward?: number;
  offer: string;
}

// Measurement windows never overlap, so each campaign's effect is its own (no interaction between campaigns).
export const CAMPAIGNS: readonly CampaignDef[] = [
  { id: "CMP2301", name: "春季焕新券 Spring coupon", type: "coupon", start: "2023-03-06", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.2, sampleShare: 0.85, lift: 1.2, audience: "active", coupon: { code: "SPRING30", minSpend: 200, value: 30, useRate: 0.7 }, offer: "¥30 off orders of ¥200 or more" },
  { id: "CMP2302", name: "会员双倍积分 Member double points", type: "points_multiplier", start: "2023-05-08", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.2, sampleShare: 0.8, lift: 0.8, audience: "members", pointsMultiplier: 2, offer: "2x points on every order" },
  { id: "CMP2303", name: "夏日返现 Summer cashback", type: "cashback", start: "2023-07-10", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.15, sampleShare: 0.85, lift: 1.0, audience: "active", cashbackRate: 0.05, offer: "5% cashback" },
  { id: "CMP2304", name: "老带新 Refer a friend", type: "referral", start: "2023-09-04", offerDays: 30, measurementDays: 30, hasHoldout: true, holdoutShare: 0.2, sampleShare: 0.85, lift: 0, audience: "active", referralReward: 50, offer: "¥50 per referred friend who signs up" },
  { id: "CMP2305", name: "年终感恩券 Year-end thank-you coupon", type: "coupon", start: "2023-12-18", offerDays: 10, measurementDays: 21, hasHoldout: false, holdoutShare: 0, sampleShare: 0.9, lift: 1.2, audience: "active", coupon: { code: "THANKS50", minSpend: 300, value: 50, useRate: 0.75 }, offer: "¥50 off orders of ¥300 or more" },
  { id: "CMP2401", name: "会员三倍积分 Member triple points", type: "points_multiplier", start: "2024-03-11", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.2, sampleShare: 0.8, lift: 1.2, audience: "members", pointsMultiplier: 3, offer: "3x points on every order" },
  { id: "CMP2402", name: "满减券 Spend-and-save coupon", type: "coupon", start: "2024-04-22", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.25, sampleShare: 0.85, lift: 0.1, audience: "active", coupon: { code: "SAVE20", minSpend: 100, value: 20, useRate: 0.8 }, offer: "¥20 off orders of ¥100 or more" },
  { id: "CMP2403", name: "暑期返现 Holiday cashback", type: "cashback", start: "2024-07-08", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.1, sampleShare: 0.85, lift: 1.5, audience: "active", cashbackRate: 0.08, offer: "8% cashback" },
  { id: "CMP2404", name: "推荐有礼 Referral bonus", type: "referral", start: "2024-09-09", offerDays: 30, measurementDays: 30, hasHoldout: true, holdoutShare: 0.2, sampleShare: 0.85, lift: 0, audience: "active", referralReward: 80, offer: "¥80 per referred friend who signs up" },
  { id: "CMP2405", name: "会员日双倍积分 Member day double points", type: "points_multiplier", start: "2024-12-16", offerDays: 7, measurementDays: 21, hasHoldout: false, holdoutShare: 0, sampleShare: 0.9, lift: 0.8, audience: "members", pointsMultiplier: 2, offer: "2x points during member week" },
  { id: "CMP2501", name: "春季满减 Spring spend-and-save", type: "coupon", start: "2025-03-10", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.2, sampleShare: 0.85, lift: 1.0, audience: "active", coupon: { code: "SPRING40", minSpend: 250, value: 40, useRate: 0.7 }, offer: "¥40 off orders of ¥250 or more" },
  { id: "CMP2502", name: "返现狂欢 Cashback fiesta", type: "cashback", start: "2025-05-12", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.15, sampleShare: 0.85, lift: 1.6, audience: "active", cashbackRate: 0.1, offer: "10% cashback" },
  { id: "CMP2503", name: "夏季双倍积分 Summer double points", type: "points_multiplier", start: "2025-08-04", offerDays: 14, measurementDays: 28, hasHoldout: true, holdoutShare: 0.2, sampleShare: 0.8, lift: 0.6, audience: "members", pointsMultiplier: 2, offer: "2x points on every order" },
  { id: "CMP2504", name: "老客召回券 Win-back coupon", type: "coupon", start: "2025-09-15", offerDays: 14, measurementDays: 35, hasHoldout: true, holdoutShare: 0.3, sampleShare: 0.8, lift: 2.0, audience: "lapsed", coupon: { code: "COMEBACK60", minSpend: 400, value: 60, useRate: 0.8 }, offer: "¥60 off orders of ¥400 or more" },
];

/** Campaign times in seconds since the calendar start. */
export interface CampaignWindow {
  start: number;
  offerEnd: number;
  windowEnd: number;
}

export function campaignWindow(c: CampaignDef): CampaignWindow {
  const start = dayOf(c.start) * DAY;
  return { start, offerEnd: start + c.offerDays * DAY, windowEnd: start + c.measurementDays * DAY };
}
