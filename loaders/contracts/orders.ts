import { z } from "zod";

/** One row per order (or invoice). Amounts in the company currency (¥ by default). */
export const Order = z
  .object({
    order_id: z.string().min(1).meta({ description: "Order or invoice number." }),
    customer_id: z.string().min(1).meta({ description: "Buyer; orders without a customer are quarantined." }),
    ordered_at: z.iso.datetime({ local: true, offset: true }).meta({ description: "When the order was placed (local business time unless an offset is given)." }),
    status: z.enum(["completed", "cancelled", "refunded", "partially_refunded"]).meta({ description: "Final state of the order." }),
    channel: z.string().optional().meta({ description: "Sales channel: online, app, mini_program, store, sales." }),
    gross_amount: z.number().meta({ description: "Order value before discounts." }),
    discount_amount: z.number().min(0).optional().meta({ description: "Discount given (coupons, tier discounts, cashback at checkout)." }),
    refund_amount: z.number().min(0).optional().meta({ description: "Amount refunded after the sale." }),
    coupon_code: z.string().optional().meta({ description: "Coupon redeemed on the order, if any." }),
    campaign_id: z.string().optional().meta({ description: "Incentive campaign credited with the order, if any." }),
  })
  .meta({ entity: "orders", key: ["order_id"], description: "Order header: one row per order." });
export type Order = z.infer<typeof Order>;
