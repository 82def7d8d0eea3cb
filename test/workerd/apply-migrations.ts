import { applyD1Migrations, env } from "cloudflare:test";

// Each test file starts from a D1 database with the hub's migrations applied, as `wrangler d1 migrations
// apply` leaves it (recorded in d1_migrations).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
