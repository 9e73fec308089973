import { z } from "zod";

/** One row per loyalty-ledger movement: points earned, redeemed, expired, or a tier change. */
export const LoyaltyEvent = z
  .object({
    event_id: z.string().min(1).meta({ description: "Ledger entry identifier." }),
    customer_id: z.string().min(1).meta({ description: "Member." }),
    occurred_at: z.iso.datetime({ local: true, offset: true }).meta({ description: "When the movement was booked." }),
    event_type: z
      .enum(["earn_purchase", "earn_signin", "earn_review", "earn_share", "redeem", "expire", "tier_change"])
      .meta({ description: "Kind of movement." }),
    points: z.int().min(0).meta({ description: "Points moved (always positive; the type gives the sign). 0 for tier changes." }),
    order_id: z.string().optional().meta({ description: "Order that earned or spent the points." }),
    tier_from: z.enum(["basic", "silver", "gold", "vip"]).optional().meta({ description: "Tier before a tier change." }),
    tier_to: z.enum(["basic", "silver", "gold", "vip"]).optional().meta({ description: "Tier after a tier change." }),
  })
  .meta({ entity: "loyalty_events", key: ["event_id"], description: "Loyalty ledger: one row per points movement or tier change." });
export type LoyaltyEvent = z.infer<typeof LoyaltyEvent>;
