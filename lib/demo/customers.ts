import { DAY, DAYS, intensity, ORDER_HOURS } from "./calendar.ts";
import type { Rng } from "./prng.ts";
import { BTYD } from "./scale.ts";
import {
  CITIES, CITY_WEIGHTS, COMPANY_TRADES, COMPANY_WORDS, EMAIL_DOMAINS, EMAIL_DOMAIN_WEIGHTS, ENGLISH_FIRST, GIVEN_NAMES,
  PHONE_PREFIXES, STREETS, SURNAMES, SURNAME_WEIGHTS, TOB_CHANNELS, TOB_CHANNEL_WEIGHTS, TOC_CHANNELS, TOC_CHANNEL_WEIGHTS,
} from "./vocab.ts";

/** A customer as the simulation sees it; the CSV row is derived from it. */
export interface DemoCustomer {
  index: number;
  id: string;
  type: "ToC" | "ToB";
  name?: string;
  companyName?: string;
  phone?: string;
  email?: string;
  address?: string;
  city?: string;
  region?: string;
  channel?: string;
  /** Seconds since the calendar start. */
  signup: number;
  member: boolean;
  /** Latent satisfaction: shifts every survey answer this customer gives. */
  satisfaction: number;
}

export const customerId = (index: number) => `C${String(index + 1).padStart(7, "0")}`;

const signupCumulative = new Float64Array(DAYS + 1);
for (let d = 0; d < DAYS; d++) {
  // A growing company: sign-ups rise over the period and follow the shopping festivals, damped.
  const growth = 0.6 + (0.9 * d) / DAYS;
  signupCumulative[d + 1] = signupCumulative[d] + growth * Math.sqrt(intensity[d]);
}

const hourCumulative: number[] = [];
{
  let s = 0;
  for (const w of ORDER_HOURS) hourCumulative.push((s += w));
}

/** A time of day in seconds, busy evenings and quiet nights. */
export function timeOfDay(rng: Rng): number {
  const u = rng.next() * hourCumulative[hourCumulative.length - 1];
  let h = 0;
  while (hourCumulative[h] <= u) h++;
  return h * 3600 + Math.floor(rng.next() * 3600);
}

/** Sign-up time of customer `index` of `n`: quantile slots keep sign-ups in index order, day by day. */
export function signupTime(rng: Rng, index: number, n: number): number {
  const target = ((index + rng.next()) / n) * signupCumulative[DAYS];
  let lo = 0;
  let hi = DAYS;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (signupCumulative[mid] <= target) lo = mid;
    else hi = mid;
  }
  return lo * DAY + timeOfDay(rng);
}

// Multipliers coprime with 10^8 / 10^7 make these bijections, so phones and e-mails are unique by construction.
const phoneDigits = (index: number) => String((index * 37_139_213 + 24_682_468) % 100_000_000).padStart(8, "0");
const emailToken = (index: number) => String((index * 7_919 + 1_234) % 10_000_000);

function chineseName(rng: Rng): { name: string; surnamePinyin: string; givenPinyin: string } {
  const [surname, sp] = SURNAMES[rng.weighted(SURNAME_WEIGHTS)];
  const [given, gp] = rng.pick(GIVEN_NAMES);
  return { name: surname + given, surnamePinyin: sp, givenPinyin: gp };
}

/** Draw a customer's attributes (not the referrer, which needs the customers before it). */
export function drawCustomer(rng: Rng, index: number, n: number): DemoCustomer {
  const type = rng.chance(BTYD.share_tob) ? "ToB" : "ToC";
  const signup = signupTime(rng, index, n);
  const city = CITIES[rng.weighted(CITY_WEIGHTS)];
  const person = chineseName(rng);
  const english = type === "ToC" && rng.chance(0.12);
  const englishFirst = rng.pick(ENGLISH_FIRST);
  const name = english ? `${englishFirst} ${person.surnamePinyin[0].toUpperCase()}${person.surnamePinyin.slice(1)}` : person.name;
  const local = english ? `${englishFirst.toLowerCase()}.${person.surnamePinyin}` : `${person.givenPinyin}${person.surnamePinyin}`;
  const domain = EMAIL_DOMAINS[rng.weighted(EMAIL_DOMAIN_WEIGHTS)];
  const companyName = type === "ToB" ? `${city.city}${rng.pick(COMPANY_WORDS)}${rng.pick(COMPANY_TRADES)}有限公司` : undefined;
  const address = `${city.city}市${rng.pick(city.districts)}${rng.pick(STREETS)}${rng.int(1, 999)}号${type === "ToB" ? `${rng.int(1, 30)}层` : `${rng.int(1, 20)}栋${rng.int(1, 30)}0${rng.int(1, 4)}室`}`;
  const channel = type === "ToB" ? TOB_CHANNELS[rng.weighted(TOB_CHANNEL_WEIGHTS)] : TOC_CHANNELS[rng.weighted(TOC_CHANNEL_WEIGHTS)];
  // Realistic gaps: consumers skip e-mail and address more often than business accounts do.
  const gaps = type === "ToB" ? { name: 0.01, phone: 0.03, email: 0.04, address: 0.03, city: 0.01, channel: 0.02 } : { name: 0.01, phone: 0.05, email: 0.2, address: 0.14, city: 0.025, channel: 0.03 };
  const hasCity = !rng.chance(gaps.city);
  return {
    index,
    id: customerId(index),
    type,
    name: rng.chance(gaps.name) ? undefined : name,
    companyName,
    phone: rng.chance(gaps.phone) ? undefined : `${rng.pick(PHONE_PREFIXES)}${phoneDigits(index)}`,
    email: rng.chance(gaps.email) ? undefined : type === "ToB" ? `${person.surnamePinyin}${emailToken(index)}@${domain === "qq.com" ? "qq.com" : "corp-mail.cn"}` : `${local}${emailToken(index)}@${domain}`,
    address: rng.chance(gaps.address) ? undefined : address,
    city: hasCity ? city.city : undefined,
    region: hasCity ? city.region : undefined,
    channel: rng.chance(gaps.channel) ? undefined : channel,
    signup,
    member: rng.chance(type === "ToB" ? 0.25 : 0.6),
    satisfaction: rng.normal(0.5, 0.7),
  };
}
