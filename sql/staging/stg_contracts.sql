-- ToB contracts: one row per contract term.
-- grain: one row per contract_id; key: contract_id
with source as (
  select * from raw_contracts
),

final as (
  select
    contract_id,
    customer_id,
    start_date,
    end_date,
    annual_value,
    renews_contract_id,
    status
  from source
)

select * from final
