-- CRM customer master: one row per customer account.
-- grain: one row per customer_id; key: customer_id
with source as (
  select * from raw_customers
),

final as (
  select
    customer_id,
    customer_type,
    name,
    company_name,
    phone,
    email,
    address,
    city,
    region,
    acquisition_channel,
    referrer_id,
    signup_date,
    is_member,
    tier
  from source
)

select * from final
