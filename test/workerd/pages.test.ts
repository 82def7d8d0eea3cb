import { describe, expect, it } from "vitest";
import appMention from "../fixtures/slack/app-mention.json";
import { slackHeaders } from "../helpers/signers";
import { createWorkerWorld, resetD1 } from "./worker-world";

// What a person or an admin reaches on the Worker: readiness (migrations applied by wrangler), the admin API
// and its reference page with Swagger UI's files (the Worker's static assets), SCIM, the sign-in page and the
// task page's script; and the cron's catch-up of a delivery whose queue message was lost.

const admin = { authorization: "Bearer test-admin-token-0123456789abcdef" };

describe("the Worker's pages and APIs", () => {
  it("is ready once D1 has every migration", async () => {
    const world = createWorkerWorld();
    const res = await world.request("/readyz");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ready", database: "reachable" });
  });

  it("serves the admin API, its reference page and Swagger UI's files", async () => {
    const world = createWorkerWorld();
    const workspaces = await world.request("/api/v1/workspaces", { headers: admin });
    expect(workspaces.status).toBe(200);
    expect((await world.request("/api/v1/workspaces")).status).toBe(401);
    const page = await world.request("/api/v1/docs");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("swagger-ui-bundle.js");
    const css = await world.request("/api/v1/docs/assets/swagger-ui.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toContain("text/css");
    expect((await css.text()).length).toBeGreaterThan(10_000);
    const script = await world.request("/api/v1/docs/assets/swagger-ui-bundle.js");
    expect(script.status).toBe(200);
    expect((await world.request("/api/v1/openapi.json")).status).toBe(200);
  });

  it("serves SCIM discovery, the sign-in page and the task page's script", async () => {
    const world = createWorkerWorld();
    const scim = await world.request("/scim/v2/ServiceProviderConfig", { headers: admin });
    expect(scim.status).toBe(200);
    const signIn = await world.request("/sign-in");
    expect(signIn.status).toBe(200);
    expect(signIn.headers.get("content-type")).toContain("text/html");
    const script = await world.request("/assets/task-page.js");
    expect(script.status).toBe(200);
  });

  it("answers 503 with the missing secrets' names until they are set", async () => {
    const world = createWorkerWorld({ vars: { HUB_ENCRYPTION_KEY: "" } });
    const res = await world.request("/healthz");
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain("wrangler secret put HUB_ENCRYPTION_KEY");
  });

  it("processes a stored delivery whose queue message was lost at the cron's catch-up", async () => {
    await resetD1();
    const world = createWorkerWorld();
    const body = JSON.stringify({ ...appMention, event_id: "EvCRON1" });
    await world.request("/webhooks/slack/events", {
      method: "POST",
      body,
      headers: slackHeaders(body, { secret: "slack-current-secret", at: Date.now() }, "application/json"),
    });
    world.sent.splice(0);
    expect(await world.inboxRow("slack", "EvCRON1")).toMatchObject({ status: "pending" });
    await world.scheduled("*/5 * * * *");
    expect((await world.inboxRow("slack", "EvCRON1"))?.status).not.toBe("pending");
  });
});
