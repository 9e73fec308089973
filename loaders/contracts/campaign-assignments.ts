import { z } from "zod";

/** One row per customer assigned to a campaign arm. */
export const CampaignAssignment = z
  .object({
    campaign_id: z.string().min(1).meta({ description: "Campaign." }),
    customer_id: z.string().min(1).meta({ description: "Assigned customer." }),
    arm: z.enum(["treatment", "holdout"]).meta({ description: "treatment: offered the incentive; holdout: randomly kept out." }),
    assigned_at: z.iso.date().meta({ description: "Date of assignment." }),
  })
  .meta({ entity: "campaign_assignments", key: ["campaign_id", "customer_id"], description: "Campaign assignments: one row per campaign and customer." });
export type CampaignAssignment = z.infer<typeof CampaignAssignment>;
