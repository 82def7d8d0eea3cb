import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { sign } from "@octokit/webhooks-methods";
// Imported rather than read, so the built demo (dist/scripts/demo.js) carries them.
import githubPullRequestOpened from "./samples/github-pull-request-opened.json" with { type: "json" };
import linearAgentSessionCreated from "./samples/linear-agent-session-created.json" with { type: "json" };
import linearIssueDelegated from "./samples/linear-issue-delegated.json" with { type: "json" };
import slackAppMention from "./samples/slack-app-mention.json" with { type: "json" };

/**
 * `npm run demo`: signs sample Slack, GitHub and Linear events with the running hub's secrets, sends them,
 * and prints what the hub did with each (inbox outcome, tasks, and the calls it would have made).
 * Start the hub first with `npm start` (sandbox mode needs no accounts).
 */
const hubUrl = (process.env.HUB_URL ?? `http://localhost:${process.env.PORT ?? 8787}`).replace(/\/$/, "");
const secrets = loadSecrets();
const runId = randomUUID().slice(0, 8);

function loadSecrets(): Record<string, string> {
  const file = resolve(dirname(process.env.HUB_DB_PATH ?? "./data/hub.sqlite"), "dev-secrets.json");
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  const pick = (name: string) => process.env[name] ?? kept[name] ?? "";
  return {
    github: pick("GITHUB_WEBHOOK_SECRET"),
    slack: pick("SLACK_SIGNING_SECRET"),
    linear: pick("LINEAR_WEBHOOK_SECRET"),
  };
}

const sample = (payload: object): Record<string, any> => structuredClone(payload);

interface Demo {
  label: string;
  path: string;
  deliveryKey: string;
  body: string;
  headers: Record<string, string>;
}

async function slackMention(): Promise<Demo> {
  const payload = sample(slackAppMention);
  const ts = Math.floor(Date.now() / 1000);
  payload.event_id = `EvDEMO${runId}`;
  payload.event.ts = payload.event.event_ts = `${ts}.000100`;
  payload.event_time = ts;
  const body = JSON.stringify(payload);
  const signature = `v0=${createHmac("sha256", secrets.slack!).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    label: `Slack @Codex mention: "${payload.event.text}"`,
    path: "/webhooks/slack/events",
    deliveryKey: payload.event_id,
    body,
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": signature,
    },
  };
}

async function githubPullRequest(): Promise<Demo> {
  // From @octokit/webhooks-examples (MIT): GitHub's own example of a pull_request.opened delivery.
  const payload = sample(githubPullRequestOpened);
  const delivery = randomUUID();
  // As GitHub stamps it: a new body each run, which the hub would otherwise answer as a replay (duplicate).
  payload.pull_request.updated_at = new Date().toISOString();
  const body = JSON.stringify(payload);
  return {
    label: `GitHub pull_request.opened: ${payload.repository.full_name}#${payload.pull_request.number} "${payload.pull_request.title}"`,
    path: "/webhooks/github",
    deliveryKey: delivery,
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": delivery,
      "x-hub-signature-256": await sign(secrets.github!, body),
    },
  };
}

async function linearSession(): Promise<Demo> {
  const payload = sample(linearAgentSessionCreated);
  const delivery = randomUUID();
  payload.webhookTimestamp = Date.now();
  payload.agentSession.id = `demo-session-${runId}`;
  const body = JSON.stringify(payload);
  return {
    label: `Linear agent session on ${payload.agentSession.issue.identifier} "${payload.agentSession.issue.title}"`,
    path: "/webhooks/linear",
    deliveryKey: delivery,
    body,
    headers: {
      "content-type": "application/json",
      "linear-delivery": delivery,
      "linear-event": "AgentSessionEvent",
      "linear-signature": createHmac("sha256", secrets.linear!).update(body).digest("hex"),
    },
  };
}

/** A Linear issue delegated to Codex: moved to "In Progress", worked on, answered with a comment. */
async function linearDelegation(): Promise<Demo> {
  const payload = sample(linearIssueDelegated);
  const delivery = randomUUID();
  payload.webhookTimestamp = Date.now();
  // A fresh issue per run, so each run's delegation is its own.
  payload.data.id = `demo-issue-${runId}`;
  const body = JSON.stringify(payload);
  return {
    label: `Linear issue ${payload.data.identifier} "${payload.data.title}" delegated to Codex`,
    path: "/webhooks/linear",
    deliveryKey: delivery,
    body,
    headers: {
      "content-type": "application/json",
      "linear-delivery": delivery,
      "linear-event": "Issue",
      "linear-signature": createHmac("sha256", secrets.linear!).update(body).digest("hex"),
    },
  };
}

interface SandboxState {
  inbox: { deliveryKey: string; status: string; outcome: string | null; lastError: string | null }[];
  outbound: { platform: string; operation: string; request: unknown; createdAt: number }[];
  tasks?: {
    id: string;
    status: string;
    title: string;
    kind: string;
    origin: { surface: string };
    answer: string | null;
    error: string | null;
    createdAt: number;
  }[];
}

async function state(): Promise<SandboxState> {
  const res = await fetch(`${hubUrl}/sandbox/state.json`);
  if (!res.ok)
    throw new Error(
      `${hubUrl}/sandbox/state.json answered ${res.status}: is the hub running in sandbox mode?`,
    );
  return (await res.json()) as SandboxState;
}

/** Waits until every demo delivery is processed and no new outbound call appeared for a while. */
async function settle(keys: string[], since: number): Promise<SandboxState> {
  let last = "";
  let quietSince = Date.now();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const s = await state();
    const open = s.inbox.filter(
      (e) => keys.includes(e.deliveryKey) && ["pending", "processing"].includes(e.status),
    );
    const running = (s.tasks ?? []).filter((t) => ["queued", "running"].includes(t.status));
    const fingerprint = JSON.stringify([
      s.outbound.filter((o) => o.createdAt >= since).length,
      s.tasks?.map((t) => t.status),
    ]);
    if (fingerprint !== last) {
      last = fingerprint;
      quietSince = Date.now();
    }
    if (
      (open.length === 0 && running.length === 0 && Date.now() - quietSince > 2000) ||
      Date.now() > deadline
    )
      return s;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  const since = Date.now();
  const demos = [
    await slackMention(),
    await githubPullRequest(),
    await linearSession(),
    await linearDelegation(),
  ];
  console.log(`Sending ${demos.length} signed sample events to ${hubUrl}\n`);
  for (const d of demos) {
    const res = await fetch(`${hubUrl}${d.path}`, { method: "POST", headers: d.headers, body: d.body });
    console.log(`→ ${d.label}\n  ${res.status} ${await res.text()}`);
  }
  console.log("\nWaiting for the hub to process them...\n");
  const s = await settle(
    demos.map((d) => d.deliveryKey),
    since,
  );
  for (const d of demos) {
    const row = s.inbox.find((e) => e.deliveryKey === d.deliveryKey);
    console.log(
      `${d.label}\n  inbox: ${row?.status ?? "missing"}${row?.outcome ? ` — ${row.outcome}` : ""}${row?.lastError ? ` (last error: ${row.lastError})` : ""}`,
    );
  }
  for (const t of (s.tasks ?? []).filter((task) => task.createdAt >= since).reverse()) {
    const text = (t.answer ?? t.error ?? "").trim().split("\n").slice(0, 12);
    console.log(`\n${t.kind} ${t.id} from ${t.origin.surface}: ${t.status} — ${t.title}`);
    for (const line of text) console.log(`  | ${line}`);
  }
  const calls = s.outbound.filter((o) => o.createdAt >= since).reverse();
  console.log(`\nCalls the hub would have made (${calls.length}), also on ${hubUrl}/sandbox:`);
  for (const c of calls)
    console.log(`  ${c.platform.padEnd(6)} ${c.operation}  ${JSON.stringify(c.request).slice(0, 160)}`);
}

main().catch((error: Error) => {
  console.error(`demo failed: ${error.message}`);
  process.exit(1);
});
