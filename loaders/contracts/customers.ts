import { z } from "zod";

/** One row per customer account: a person (ToC) or a company (ToB). */
export const Customer = z
  .object({
    customer_id: z.string().min(1).meta({ description: "Stable customer identifier from the CRM." }),
    customer_type: z.enum(["ToC", "ToB"]).meta({ description: "ToC: a consumer; ToB: a business account." }),
    name: z.string().optional().meta({ description: "Person or contact name (Chinese or English).", pii: true }),
    company_name: z.string().optional().meta({ description: "Company name for ToB accounts." }),
    phone: z.string().optional().meta({ description: "Mobile or landline number.", pii: true }),
    email: z.string().optional().meta({ description: "E-mail address.", pii: true }),
    address: z.string().optional().meta({ description: "Postal address.", pii: true }),
    city: z.string().optional().meta({ description: "City, e.g. 上海 or Shanghai." }),
    region: z.string().optional().meta({ description: "Sales region, e.g. East China (华东)." }),
    acquisition_channel: z.string().optional().meta({ description: "Channel that acquired the customer: online, store, app, referral, sales, partner." }),
    referrer_id: z.string().optional().meta({ description: "customer_id of the referring customer, if referred." }),
    signup_date: z.iso.date().meta({ description: "Date the account was created." }),
    is_member: z.boolean().optional().meta({ description: "Enrolled in the loyalty program." }),
    tier: z.enum(["basic", "silver", "gold", "vip"]).optional().meta({ description: "Current loyalty tier as exported by the CRM." }),
  })
  .meta({ entity: "customers", key: ["customer_id"], description: "CRM customer master: one row per customer account." });
export type Customer = z.infer<typeof Customer>;
