import type { D1Migration } from "cloudflare:test";
import type { WorkMessage } from "../../src/runtime/worker-queue";

declare global {
  namespace Cloudflare {
    interface Env {
      DB: D1Database;
      WORK: Queue<WorkMessage>;
      ASSETS: Fetcher;
      TEST_MIGRATIONS: D1Migration[];
      [name: string]: unknown;
    }
  }
}
