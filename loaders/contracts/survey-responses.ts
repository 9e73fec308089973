import { z } from "zod";

/** One row per answered survey question (NPS 0–10 or CSAT 1–5). */
export const SurveyResponse = z
  .object({
    response_id: z.string().min(1).meta({ description: "Survey response identifier." }),
    customer_id: z.string().min(1).meta({ description: "Respondent." }),
    responded_at: z.iso.datetime({ local: true, offset: true }).meta({ description: "When the answer was given." }),
    survey_type: z.enum(["nps", "csat"]).meta({ description: "nps: 0–10 likelihood to recommend; csat: 1–5 satisfaction." }),
    touchpoint: z.enum(["pre_sale", "purchase", "after_sale", "loyalty"]).meta({ description: "Journey stage asked about: 售前, 售中, 售后, or the loyalty program." }),
    score: z.int().min(0).max(10).meta({ description: "Answer: 0–10 for nps, 1–5 for csat." }),
    comment: z.string().optional().meta({ description: "Free-text verbatim (Chinese or English)." }),
    order_id: z.string().optional().meta({ description: "Order the survey followed, if any." }),
    ticket_id: z.string().optional().meta({ description: "Service ticket the survey followed, if any." }),
  })
  .meta({ entity: "survey_responses", key: ["response_id"], description: "Survey answers: one row per response." });
export type SurveyResponse = z.infer<typeof SurveyResponse>;
