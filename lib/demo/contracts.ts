import { DAY, DAYS, dayOf, END, formatDay } from "./calendar.ts";
import type { DemoCustomer } from "./customers.ts";
import { drawOrder, poissonDays, round2, type DemoOrder } from "./orders.ts";
import type { Rng } from "./prng.ts";
import { BTYD } from "./scale.ts";
import { ticketsForOrder, type TicketBuffer } from "./tickets.ts";

export interface DemoContract {
  startDay: number;
  endDay: number;
  annualValue: number;
  /** Index (within this customer's list) of the contract it renews, or -1. */
  renews: number;
  status: "active" | "expired" | "cancelled";
}

/**
 * A business account's history: annual contracts, each renewed or not depending on how the account was
 * served (complaints in the term) and how satisfied it is, with orders only while a contract runs.
 */
export function businessHistory(rng: Rng, customer: DemoCustomer, tickets: TicketBuffer): { contracts: DemoContract[]; orders: DemoOrder[] } {
  const p = BTYD.tob;
  const rate = rng.gamma(p.rate_shape, p.rate_rate);
  const spend = { shape: p.spend_p, rate: rng.gamma(p.spend_q, p.spend_gamma) };
  const contracts: DemoContract[] = [];
  const orders: DemoOrder[] = [];
  let startDay = Math.floor(customer.signup / DAY) + rng.int(0, 20);
  let value = Math.round(Math.exp(rng.normal(Math.log(80_000), 0.8)) / 100) * 100;
  let renews = -1;
  while (startDay < DAYS) {
    // An annual term ends the day before its anniversary (leap years included).
    const start = formatDay(startDay);
    const endDay = dayOf(`${Number(start.slice(0, 4)) + 1}${start.slice(4)}`) - 1;
    const cancelled = rng.chance(0.04);
    const stopDay = cancelled ? startDay + rng.int(30, 300) : endDay + 1;
    let complaints = 0;
    for (const day of poissonDays(rng, rate, Math.max(startDay * DAY, customer.signup), Math.min(stopDay * DAY, END))) {
      const o = drawOrder(rng, day, spend, true);
      if (o.t < customer.signup) o.t = customer.signup + 600;
      orders.push(o);
      complaints += ticketsForOrder(rng, customer, o, tickets);
    }
    const status = cancelled && stopDay < DAYS ? "cancelled" : endDay >= DAYS - 1 ? "active" : "expired";
    contracts.push({ startDay, endDay, annualValue: value, renews, status });
    if (status !== "expired") break;
    const renewal = Math.min(0.95, Math.max(0.25, 0.8 + 0.12 * customer.satisfaction - 0.1 * complaints));
    if (!rng.chance(renewal)) break;
    renews = contracts.length - 1;
    startDay = endDay + 1;
    value = round2(Math.round((value * (1 + rng.normal(0.05, 0.1))) / 100) * 100);
  }
  return { contracts, orders };
}
