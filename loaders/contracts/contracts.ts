import { z } from "zod";

/** One row per ToB service contract; a renewal is a new contract pointing at the one it renews. */
export const Contract = z
  .object({
    contract_id: z.string().min(1).meta({ description: "Contract number." }),
    customer_id: z.string().min(1).meta({ description: "Business customer holding the contract." }),
    start_date: z.iso.date().meta({ description: "First day covered." }),
    end_date: z.iso.date().meta({ description: "Last day covered; the renewal is due then." }),
    annual_value: z.number().min(0).meta({ description: "Contract value per year." }),
    renews_contract_id: z.string().optional().meta({ description: "contract_id this contract renews, if it is a renewal." }),
    status: z.enum(["active", "expired", "cancelled"]).meta({ description: "State at export time." }),
  })
  .meta({ entity: "contracts", key: ["contract_id"], description: "ToB contracts: one row per contract term." });
export type Contract = z.infer<typeof Contract>;
