import type { Cell } from "./csv-writer.ts";
import type { Rng } from "./prng.ts";
import { NEGATIVE_COMMENTS, PASSIVE_COMMENTS, POSITIVE_COMMENTS, type Cause } from "./vocab.ts";

export type SurveyType = "nps" | "csat";
export type Touchpoint = "pre_sale" | "purchase" | "after_sale" | "loyalty";

/** One survey answer before it becomes a CSV row. */
export interface SurveyAnswer {
  customerId: string;
  t: number;
  touchpoint: Touchpoint;
  /** Latent satisfaction with this experience: the customer's own level minus what went wrong. */
  mood: number;
  /** What went wrong, in order of weight; picks the theme of a negative comment. */
  causes: Cause[];
  orderId?: string;
  ticketId?: string;
}

export function isNegative(type: SurveyType, score: number): boolean {
  return type === "nps" ? score <= 6 : score <= 2;
}

function isPositive(type: SurveyType, score: number): boolean {
  return type === "nps" ? score >= 9 : score >= 4;
}

const FALLBACK_CAUSES: Cause[] = ["price", "attitude", "response", "quality"];

/** Score and verbatim of one answer: themes follow the score and the cause, and most answers have no comment. */
export function answer(rng: Rng, mood: number, causes: readonly Cause[]): { type: SurveyType; score: number; comment?: string } {
  const type: SurveyType = rng.chance(0.45) ? "nps" : "csat";
  const y = mood + rng.normal(0, 0.6);
  const score = type === "nps" ? Math.min(10, Math.max(0, Math.round(7.7 + 1.9 * y))) : Math.min(5, Math.max(1, Math.round(4.05 + 0.8 * y)));
  const uComment = rng.next();
  const uCause = rng.next();
  const uText = rng.next();
  let comment: string | undefined;
  if (isNegative(type, score)) {
    if (uComment < 0.55) {
      const cause = causes.length > 0 ? causes[Math.floor(uCause * causes.length)] : FALLBACK_CAUSES[Math.floor(uCause * FALLBACK_CAUSES.length)];
      const options = NEGATIVE_COMMENTS[cause];
      comment = options[Math.floor(uText * options.length)];
    }
  } else if (isPositive(type, score)) {
    if (uComment < 0.3) comment = POSITIVE_COMMENTS[Math.floor(uText * POSITIVE_COMMENTS.length)];
  } else if (uComment < 0.15) {
    comment = PASSIVE_COMMENTS[Math.floor(uText * PASSIVE_COMMENTS.length)];
  }
  return { type, score, comment };
}

/** survey_responses columns in contract order. */
export function surveyRow(responseId: string, a: SurveyAnswer, result: ReturnType<typeof answer>, time: string): Cell[] {
  return [responseId, a.customerId, time, result.type, a.touchpoint, result.score, result.comment, a.orderId, a.ticketId];
}
