import { z } from "zod";

/** One row per use of an incentive (coupon redeemed, cashback paid, multiplier applied, referral reward). */
export const CampaignRedemption = z
  .object({
    redemption_id: z.string().min(1).meta({ description: "Redemption identifier." }),
    campaign_id: z.string().min(1).meta({ description: "Campaign whose benefit was used." }),
    customer_id: z.string().min(1).meta({ description: "Customer who used it." }),
    order_id: z.string().optional().meta({ description: "Order it was used on." }),
    redeemed_at: z.iso.datetime({ local: true, offset: true }).meta({ description: "When it was used." }),
    cost: z.number().min(0).meta({ description: "Cost to the company: discount, cashback, points at redemption value, or referral reward." }),
  })
  .meta({ entity: "campaign_redemptions", key: ["redemption_id"], description: "Incentive redemptions and their cost." });
export type CampaignRedemption = z.infer<typeof CampaignRedemption>;
