-- Renewal rate (续约率) of ToB contracts, by the month the contract fell due.
-- grain: one row per due month (month of end_date); key: due_month
-- formula: contracts_due = contracts with end_date in the month, end_date ≤ as_of_date, and status not
--          'cancelled' (a cancelled contract never came up for renewal); contracts_renewed = those some
--          other contract names in renews_contract_id (whatever that renewal's status is now);
--          renewal_rate = contracts_renewed / contracts_due. Value: due_annual_value = Σ annual_value of
--          the due contracts, renewed_annual_value = Σ annual_value of their renewals,
--          value_renewal_rate = renewed_annual_value / due_annual_value.
-- window: contracts due from the first end_date to int_as_of.as_of_date; a month is complete
--         (is_complete) once its last day ≤ as_of_date
with contracts as (
  select * from stg_contracts
),

as_of as (
  select * from int_as_of
),

renewals as (
  select
    renews_contract_id as contract_id,
    count(*) as renewal_count,
    sum(annual_value) as renewed_annual_value
  from contracts
  where renews_contract_id is not null
  group by renews_contract_id
),

due as (
  select
    cast(date_trunc('month', contracts.end_date) as date) as due_month,
    contracts.annual_value,
    renewals.contract_id is not null as is_renewed,
    coalesce(renewals.renewed_annual_value, 0) as renewed_annual_value,
    last_day(contracts.end_date) <= as_of.as_of_date as is_complete
  from contracts
  cross join as_of
  left join renewals on renewals.contract_id = contracts.contract_id
  where contracts.status <> 'cancelled'
    and contracts.end_date <= as_of.as_of_date
),

counted as (
  select
    due_month,
    count(*) as contracts_due,
    count(*) filter (where is_renewed) as contracts_renewed,
    sum(annual_value) as due_annual_value,
    sum(renewed_annual_value) as renewed_annual_value,
    bool_and(is_complete) as is_complete
  from due
  group by due_month
),

final as (
  select
    due_month,
    contracts_due,
    contracts_renewed,
    contracts_renewed / contracts_due as renewal_rate,
    due_annual_value,
    renewed_annual_value,
    renewed_annual_value / nullif(due_annual_value, 0) as value_renewal_rate,
    is_complete
  from counted
)

select * from final
