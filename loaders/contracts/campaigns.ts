import { z } from "zod";

/** One row per incentive campaign. */
export const Campaign = z
  .object({
    campaign_id: z.string().min(1).meta({ description: "Campaign code." }),
    campaign_name: z.string().min(1).meta({ description: "Human-readable name." }),
    campaign_type: z.enum(["coupon", "points_multiplier", "cashback", "referral"]).meta({ description: "Incentive mechanism." }),
    start_date: z.iso.date().meta({ description: "First day of the offer." }),
    end_date: z.iso.date().meta({ description: "Last day of the offer." }),
    measurement_days: z.int().min(1).meta({ description: "Outcome window: days from start_date over which revenue is compared." }),
    has_holdout: z.boolean().meta({ description: "A randomized holdout group was kept; without one no causal effect is claimed." }),
    offer: z.string().optional().meta({ description: "What was offered, e.g. '¥30 off ¥200'." }),
  })
  .meta({ entity: "campaigns", key: ["campaign_id"], description: "Incentive campaigns: one row per campaign." });
export type Campaign = z.infer<typeof Campaign>;
