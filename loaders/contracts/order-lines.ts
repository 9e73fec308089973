import { z } from "zod";

/** One row per order line (invoice line). Optional: many sources only have order headers. */
export const OrderLine = z
  .object({
    order_id: z.string().min(1).meta({ description: "Order the line belongs to." }),
    line_number: z.int().min(1).meta({ description: "Position of the line in its order (1-based)." }),
    customer_id: z.string().optional().meta({ description: "Buyer, when the source repeats it on lines." }),
    ordered_at: z.iso.datetime({ local: true, offset: true }).optional().meta({ description: "Order time, when the source repeats it on lines." }),
    product_id: z.string().min(1).meta({ description: "Product or SKU code." }),
    product_name: z.string().optional().meta({ description: "Product description." }),
    quantity: z.number().meta({ description: "Units; negative for returns." }),
    unit_price: z.number().meta({ description: "Price per unit." }),
  })
  .meta({ entity: "order_lines", key: ["order_id", "line_number"], description: "Order lines: one row per line of an order." });
export type OrderLine = z.infer<typeof OrderLine>;
