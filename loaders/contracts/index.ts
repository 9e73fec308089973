import { Campaign } from "./campaigns.ts";
import { CampaignAssignment } from "./campaign-assignments.ts";
import { CampaignRedemption } from "./campaign-redemptions.ts";
import { Contract } from "./contracts.ts";
import { Customer } from "./customers.ts";
import { LoyaltyEvent } from "./loyalty-events.ts";
import { Order } from "./orders.ts";
import { OrderLine } from "./order-lines.ts";
import { SurveyResponse } from "./survey-responses.ts";
import { Ticket } from "./tickets.ts";

export { Campaign, CampaignAssignment, CampaignRedemption, Contract, Customer, LoyaltyEvent, Order, OrderLine, SurveyResponse, Ticket };

/** Every source entity's contract, in load order (referenced entities first). */
export const contracts = [
  Customer,
  Order,
  OrderLine,
  Contract,
  SurveyResponse,
  Ticket,
  LoyaltyEvent,
  Campaign,
  CampaignAssignment,
  CampaignRedemption,
] as const;
