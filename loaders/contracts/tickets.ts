import { z } from "zod";

/** One row per service ticket (question, request or complaint). */
export const Ticket = z
  .object({
    ticket_id: z.string().min(1).meta({ description: "Ticket number." }),
    customer_id: z.string().min(1).meta({ description: "Customer who raised it." }),
    channel: z.enum(["phone", "online_chat", "email", "wechat", "store"]).meta({ description: "Contact channel." }),
    touchpoint: z.enum(["pre_sale", "purchase", "after_sale"]).meta({ description: "Journey stage of the request." }),
    category: z.string().min(1).meta({ description: "Topic: delivery, product_quality, refund, billing, account, installation, other." }),
    is_complaint: z.boolean().meta({ description: "The customer is complaining (投诉), not just asking." }),
    severity: z.enum(["general", "serious", "major"]).meta({ description: "Complaint severity: 一般, 严重, 重大." }),
    created_at: z.iso.datetime({ local: true, offset: true }).meta({ description: "When the ticket was opened." }),
    first_response_at: z.iso.datetime({ local: true, offset: true }).optional().meta({ description: "First agent response; empty if none yet." }),
    resolved_at: z.iso.datetime({ local: true, offset: true }).optional().meta({ description: "When it was (last) resolved; empty if open." }),
    reopened_count: z.int().min(0).optional().meta({ description: "Times the ticket was reopened after a resolution." }),
    contacts: z.int().min(1).optional().meta({ description: "Customer contacts until resolved." }),
    agent_id: z.string().optional().meta({ description: "Pseudonymous id of the agent who owned it (never a name)." }),
    callback_at: z.iso.datetime({ local: true, offset: true }).optional().meta({ description: "Post-service follow-up call (回访), if made." }),
    praised: z.boolean().optional().meta({ description: "The customer praised the agent." }),
  })
  .meta({ entity: "tickets", key: ["ticket_id"], description: "Service desk tickets: one row per ticket." });
export type Ticket = z.infer<typeof Ticket>;
