import { readFileSync } from "node:fs";
import { openWarehouse } from "./lib/warehouse/open.ts";
import { ensureRawTables } from "./loaders/raw-tables.ts";
import { writeConfigTables } from "./lib/config/config-tables.ts";
import { LensConfig } from "./lib/config/lens-config.ts";
import { readProject } from "./lib/models/project.ts";
import { buildModel } from "./lib/models/build-model.ts";
const customers = 100000, ordersPer = 10;
const w = await openWarehouse("/tmp/mv/scale.duckdb");
const db = w.db;
const built = (await db.runAndReadAll("select count(*) from information_schema.tables where table_name = 'int_customer_purchase_days'")).getRows()[0][0];
if (!Number(built)) {
  await ensureRawTables(db);
  await writeConfigTables(db, LensConfig.parse({}));
  await db.run(`insert into raw_customers (customer_id, customer_type, signup_date, acquisition_channel, tier, city)
    select 'C' || i, case when i % 7 = 0 then 'ToB' else 'ToC' end, date '2023-01-01' + (i % 700)::int, (['online','store','app'])[1 + i % 3], (['basic','silver','gold','vip'])[1 + i % 4], 'x' from range(${customers}) t(i)`);
  await db.run(`insert into raw_orders (order_id, customer_id, ordered_at, status, gross_amount)
    select 'O' || i, 'C' || (hash(i) % ${customers}), timestamp '2023-01-01' + to_seconds((hash(i * 7) % (1095 * 86400))::bigint), case when i % 50 = 0 then 'cancelled' else 'completed' end, 10 + hash(i * 3) % 500 from range(${customers * ordersPer}) t(i)`);
  await db.run(`insert into raw_survey_responses (response_id, customer_id, responded_at, survey_type, touchpoint, score)
    select 'S' || i, 'C' || (hash(i + 1) % ${customers}), timestamp '2023-01-01' + to_seconds((hash(i * 11) % (1095 * 86400))::bigint), 'csat', 'purchase', 1 + hash(i) % 5 from range(${customers}) t(i)`);
  await db.run(`create table int_customer_clv_predicted as select customer_id, 1::bigint frequency, 1.0 recency_weeks, 1.0 age_weeks, 1.0 avg_repeat_value, 0.4 p_alive, 1.0 predicted_purchases, 1.0 predicted_avg_spend, 1.0 predicted_clv from raw_customers`);
  for (const m of await readProject(db, "/tmp/mv/sql")) await buildModel(db, m, LensConfig.parse({}));
}
const target = process.argv[2];
const file = target.startsWith("int_") ? `sql/intermediate/${target}.sql` : `sql/marts/${target}.sql`;
const sql = readFileSync(file, "utf8");
const t = Date.now();
const r = await db.runAndReadAll(`explain analyze ${sql}`);
console.log(Date.now() - t, "ms");
if (process.argv[3]) console.log(String(r.getRows()[0][1]));
w.close();
