import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { githubExample } from "../helpers/github-examples";
import { type HubProcess, startHubProcess } from "../helpers/hub-process";
import { githubRequest } from "../helpers/signers";

const dirs: string[] = [];
let hub: HubProcess | undefined;
afterAll(async () => {
  await hub?.stop("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// The default (the inbox's writes on a thread of their own) and HUB_THREADS=1 (on the HTTP thread) store
// deliveries on different paths; both must have every acknowledged one on disk.
describe.each(["3", "1"])("crash safety (real process, SIGKILL, HUB_THREADS=%s)", (threads) => {
  it("processes every acknowledged delivery exactly once after a restart on the same database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-crash-"));
    dirs.push(dir);
    const dbPath = join(dir, "hub.sqlite");
    const env = {
      HUB_DB_PATH: dbPath,
      GITHUB_WEBHOOK_SECRET: "crash-secret",
      HUB_ADMIN_TOKEN: "crash-admin-token-0123456789",
      HUB_INBOX_LEASE_MS: "500",
      HUB_THREADS: threads,
    };
    hub = await startHubProcess(env);
    // The log line the operator sees names how the hub runs.
    expect(JSON.parse(hub.lines.find((l) => l.includes('"hub listening'))!).threads).toBe(Number(threads));
    const payload = githubExample("pull_request", "opened");
    const acked: string[] = [];
    const total = 400;
    let next = 0;
    let killed = false;

    // 16 senders in parallel; the hub is killed mid-burst, while it is still acknowledging and processing.
    const sender = async () => {
      while (next < total) {
        const n = next++;
        const id = `crash-${n}`;
        // Each delivery its own body, as GitHub's are: the same body under a new id would be a replay.
        const edited = {
          ...payload,
          pull_request: { ...payload.pull_request, updated_at: new Date(n * 1000).toISOString() },
        };
        const init = await githubRequest(edited, {
          event: "pull_request",
          delivery: id,
          secret: env.GITHUB_WEBHOOK_SECRET,
        });
        try {
          const res = await fetch(`${hub!.url}/webhooks/github`, init);
          if (res.status === 200) acked.push(id);
        } catch {
          // Connection cut by the kill: not acknowledged, so the platform would redeliver it.
        }
        if (acked.length >= total / 2 && !killed) {
          killed = true;
          hub!.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, sender));
    expect(killed).toBe(true);
    expect(acked.length).toBeGreaterThanOrEqual(total / 2);

    const before = new Database(dbPath, { readonly: true });
    const unfinished = before
      .prepare("SELECT count(*) AS n FROM inbox WHERE status IN ('pending','processing')")
      .get() as { n: number };
    before.close();

    hub = await startHubProcess(env);
    const db = new Database(dbPath, { readonly: true });
    const deadline = Date.now() + 15_000;
    let open = Number.POSITIVE_INFINITY;
    while (open > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      open = (
        db.prepare("SELECT count(*) AS n FROM inbox WHERE status IN ('pending','processing')").get() as {
          n: number;
        }
      ).n;
    }
    const rows = db.prepare("SELECT delivery_key AS key, status, normalized FROM inbox").all() as {
      key: string;
      status: string;
      normalized: string | null;
    }[];
    db.close();

    const byKey = new Map(rows.map((r) => [r.key, r]));
    expect(rows.length).toBe(byKey.size); // one row per delivery, never two
    for (const id of acked) {
      const row = byKey.get(id);
      expect(row, `acknowledged delivery ${id} was lost`).toBeDefined();
      expect(row?.status).toBe("done");
      expect(JSON.parse(row!.normalized!).deliveryKey).toBe(id);
    }
    // Report how much work the crash interrupted (the test is meaningful only if some was left over).
    console.info(`acked ${acked.length}/${total}; unfinished at kill: ${unfinished.n}`);
  }, 60_000);
});
