/**
 * The subject areas the reference groups models into, in the order the table of contents lists them.
 * "shared" holds building blocks every area uses (the as-of date, the calendar, t quantiles); no mart may
 * land there (tests/docs-reference.test.ts checks it), so a new mart whose name matches no rule needs one.
 */
export const AREAS = ["satisfaction", "service", "loyalty & incentives", "value & retention", "scorecard", "shared"] as const;
export type Area = (typeof AREAS)[number];

/**
 * Name rules, tried in order: the first whose pattern matches the model name wins. Order matters where
 * names share a word (nps_by_segment is satisfaction before customer_segments' "segment" rule applies).
 */
export const AREA_RULES: readonly { area: Area; pattern: RegExp }[] = [
  { area: "scorecard", pattern: /^kpi_|^overview_/ },
  { area: "satisfaction", pattern: /nps|csat|feedback|verbatim|survey/ },
  { area: "service", pattern: /ticket|service|agent|sla/ },
  { area: "loyalty & incentives", pattern: /loyalty|member|points|incentive|campaign|referral/ },
  { area: "value & retention", pattern: /churn|winback|retention|repurchase|renewal|ltv|clv|segment|value|customer|order|purchase|activity|profile/ },
];

/** The area of a model, by AREA_RULES; "shared" when none matches. */
export function areaOf(model: string): Area {
  return AREA_RULES.find((r) => r.pattern.test(model))?.area ?? "shared";
}

/** Heading text of an area. */
export function areaTitle(area: Area): string {
  return area.charAt(0).toUpperCase() + area.slice(1);
}
