/**
 * The demo company's fixed calendar. Times are seconds since 2023-01-01 00:00 Asia/Shanghai wall clock
 * (no daylight saving there, so a day is always 86,400 s) and never depend on the machine's clock.
 */

export const FIRST_DAY = "2023-01-01";
export const AS_OF = "2025-12-31";
export const DAY = 86_400;
export const HOUR = 3_600;
/** Days from FIRST_DAY to AS_OF inclusive. */
export const DAYS = 1096;
/** First second after the as-of day: nothing is recorded at or after it. */
export const END = DAYS * DAY;

// Formatting covers contracts running past the as-of date.
const FORMAT_DAYS = DAYS + 3 * 366;
const dayStrings: string[] = [];
{
  const base = Date.UTC(2023, 0, 1);
  for (let d = 0; d < FORMAT_DAYS; d++) dayStrings.push(new Date(base + d * DAY * 1000).toISOString().slice(0, 10));
}

/** Day index (0 = 2023-01-01) of an ISO date. */
export function dayOf(date: string): number {
  return Math.round((Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) - Date.UTC(2023, 0, 1)) / (DAY * 1000));
}

/** `YYYY-MM-DD` of a day index. */
export function formatDay(day: number): string {
  const s = dayStrings[day];
  if (s === undefined) throw new Error(`demo calendar has no day ${day}`);
  return s;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `YYYY-MM-DD HH:MM:SS` of a time in seconds (fractions are dropped). */
export function formatTime(t: number): string {
  const s = Math.floor(t);
  const day = Math.floor(s / DAY);
  const r = s - day * DAY;
  const h = Math.floor(r / HOUR);
  const m = Math.floor((r - h * HOUR) / 60);
  return `${formatDay(day)} ${two(h)}:${two(m)}:${two(r % 60)}`;
}

/** 0 = Sunday … 6 = Saturday; 2023-01-01 was a Sunday. */
export function weekday(day: number): number {
  return day % 7;
}

function monthDay(day: number): { month: number; dom: number } {
  const s = formatDay(day);
  return { month: +s.slice(5, 7), dom: +s.slice(8, 10) };
}

/** Chinese New Year's day in each year of the calendar. */
const CNY = ["2023-01-22", "2024-02-10", "2025-01-29"].map(dayOf);

/**
 * Relative shopping intensity of a day (1 = an ordinary weekday): the Singles' Day (11-11) and 6-18 festivals
 * with their pre-sale run-ups, 12-12, slightly busier weekends, and the Chinese New Year logistics dip.
 */
function shoppingIntensity(day: number): number {
  const { month, dom } = monthDay(day);
  let s = weekday(day) === 0 || weekday(day) === 6 ? 1.12 : 1;
  if (month === 11 && dom === 11) s *= 7;
  else if (month === 11 && dom >= 1 && dom <= 10) s *= 1.5;
  else if (month === 11 && dom >= 12 && dom <= 13) s *= 1.8;
  else if (month === 6 && dom === 18) s *= 4.5;
  else if (month === 6 && dom >= 1 && dom <= 17) s *= 1.35;
  else if (month === 12 && dom === 12) s *= 2.2;
  for (const c of CNY) if (day >= c - 8 && day <= c + 7) s *= 0.45;
  return s;
}

/** Per-day intensity and its running sum, so a BTYD clock in "ordinary days" maps to calendar days. */
export const intensity: Float64Array = new Float64Array(DAYS);
/** cumulative[d] = sum of intensity over days < d. */
export const cumulative: Float64Array = new Float64Array(DAYS + 1);
for (let d = 0; d < DAYS; d++) {
  intensity[d] = shoppingIntensity(d);
  cumulative[d + 1] = cumulative[d] + intensity[d];
}

/** Operational time (sum of intensity) at calendar time t seconds. */
export function toOperational(t: number): number {
  if (t >= END) return cumulative[DAYS] + (t - END) / DAY;
  const d = Math.floor(t / DAY);
  return cumulative[d] + (intensity[d] * (t - d * DAY)) / DAY;
}

/** The calendar day at which operational time u is reached (DAYS or more when past the as-of date). */
export function dayAtOperational(u: number): number {
  if (u >= cumulative[DAYS]) return DAYS;
  let lo = 0;
  let hi = DAYS;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] <= u) lo = mid;
    else hi = mid;
  }
  return lo;
}

const peakDays = new Uint8Array(DAYS);
for (let d = 0; d < DAYS; d++) {
  const { month, dom } = monthDay(d);
  peakDays[d] = (month === 11 && dom >= 11 && dom <= 16) || (month === 6 && dom >= 18 && dom <= 21) || (month === 12 && dom >= 12 && dom <= 14) ? 1 : 0;
}

/** True on the festival days when logistics and the service desk are overloaded. */
export function isPeakDay(day: number): boolean {
  return peakDays[day] === 1;
}

/** Share of the day's orders placed in each hour: quiet nights, a lunch bump, an evening peak. */
export const ORDER_HOURS = [1.2, 0.7, 0.4, 0.2, 0.2, 0.3, 0.6, 1.2, 2.5, 3.8, 4.6, 4.8, 4.4, 4.3, 4.5, 4.6, 4.6, 4.5, 4.6, 5.4, 6.8, 7.6, 7.2, 4.0];
