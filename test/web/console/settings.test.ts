import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

const ws = LOCAL_WORKSPACE_ID;

async function api(method: string, path: string, body?: unknown) {
  const res = await hub.request(`/api/v1${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

const toggles = () => api("GET", `/workspaces/${ws}/toggles`);
const audit = async () => (await api("GET", `/workspaces/${ws}/audit?limit=50`)).items as any[];
const checked = (html: string, name: string) =>
  new RegExp(`<input type="checkbox" name="${name}" value="on" checked=""`).test(html);

describe("the settings page", () => {
  it("shows every switch with the admin guide's names, as they are, and the workspace's platform links", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.owner.get("/settings");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const label of [
      "Allow members to use Codex Local",
      "GitHub Connector",
      "Allow members to use Codex cloud",
      "Allow Codex to do code reviews on GitHub",
      "Allow Codex Slack app to post answers on task completion",
      "Allow Codex Linear app to post answers on task completion",
      "Allow Codex agent to access the internet",
      "Zero data retention",
      "Keep task text for (days)",
      "Keep compliance log files for (days)",
    ]) {
      expect(html).toContain(label);
    }
    expect(html).toContain("403 - Unauthorized. Contact your ChatGPT administrator for access.");
    const now = await toggles();
    for (const [key, on] of Object.entries(now)) expect(checked(html, key), key).toBe(on);
    expect(html.match(/<form method="post" action="\/settings"/g)).toHaveLength(1);
    expect(html.match(/>\s*Save\s*</g)).toHaveLength(1);
    // The seeded sandbox workspace answers for one Slack team, one GitHub installation, one Linear org.
    expect(html).toContain("Sandbox workspace");
    expect(html).toContain("<code>T0SANDBOX</code>");
    expect(html).toContain("<code>1</code>");
    expect(html).toContain("<code>org-sandbox</code>");
  });

  it("saves the form as one audited change with the owner's name, and only what moved", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = await toggles();
    const res = await people.owner.post("/settings", {
      ...(await people.owner.formFields("/settings")),
      form: "toggles",
      // Everything as it was, but Codex local off and agent internet on.
      ...Object.fromEntries(
        Object.entries(before)
          .filter(([key, on]) => on && key !== "codexLocal")
          .map(([key]) => [key, "on"]),
      ),
      agentInternet: "on",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings?saved=1");
    expect(await toggles()).toEqual({ ...before, codexLocal: false, agentInternet: true });
    const [entry] = (await audit()).filter((a) => a.action === "toggles.update");
    expect(entry).toMatchObject({
      actor: "member:mem_local_owner",
      before: { codexLocal: true, agentInternet: false },
      after: { codexLocal: false, agentInternet: true },
    });
    const page = await (await people.owner.get("/settings?saved=1")).text();
    expect(page).toContain("Saved. The change is in the audit log.");
    expect(checked(page, "codexLocal")).toBe(false);
    expect(checked(page, "agentInternet")).toBe(true);
  });

  it("saves retention periods with the switches, audited; a period that is not a whole number saves nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const form = await people.owner.formFields("/settings");
    const bad = await people.owner.post("/settings", {
      ...form,
      taskContentDays: "soon",
      zeroDataRetention: "on",
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Keep task text for (days): a whole number of days.");
    expect((await toggles()).zeroDataRetention).toBe(false);

    const res = await people.owner.post("/settings", {
      ...form,
      ...Object.fromEntries(
        Object.entries(await toggles())
          .filter(([, on]) => on)
          .map(([key]) => [key, "on"]),
      ),
      zeroDataRetention: "on",
      taskContentDays: "30",
      complianceLogDays: "",
    });
    expect(res.status).toBe(303);
    expect(await api("GET", `/workspaces/${ws}/retention`)).toEqual({
      taskContentDays: 30,
      complianceLogDays: null,
    });
    expect((await toggles()).zeroDataRetention).toBe(true);
    const actions = (await audit()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["retention.update", "toggles.update"]));
    const page = await (await people.owner.get("/settings")).text();
    expect(page).toContain('name="taskContentDays" value="30"');
    expect(checked(page, "zeroDataRetention")).toBe(true);
  });

  it("keeps a change someone else made while the form was open", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = await toggles();
    const form = await people.owner.formFields("/settings");
    // Meanwhile, through the API: Slack gets full answers.
    await api("PATCH", `/workspaces/${ws}/toggles`, { slackFullAnswers: true });
    // The form, as it was shown (Slack full answers unticked), with agent internet ticked.
    const ticked = Object.entries(before)
      .filter(([, on]) => on)
      .map(([key]) => [key, "on"]);
    await people.owner.post("/settings", { ...form, ...Object.fromEntries(ticked), agentInternet: "on" });
    expect(await toggles()).toEqual({ ...before, slackFullAnswers: true, agentInternet: true });
  });

  it("writes nothing when nothing moved, and says so", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = await toggles();
    const res = await people.owner.post("/settings", {
      ...(await people.owner.formFields("/settings")),
      form: "toggles",
      ...Object.fromEntries(
        Object.entries(before)
          .filter(([, on]) => on)
          .map(([key]) => [key, "on"]),
      ),
    });
    expect(res.headers.get("location")).toBe("/settings?unchanged=1");
    expect((await audit()).filter((a) => a.action === "toggles.update")).toEqual([]);
    expect(await (await people.owner.get("/settings?unchanged=1")).text()).toContain("Nothing to save");
  });

  it("refuses a body that is not the settings form rather than turning every switch off", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = await toggles();
    const { form_token } = await people.owner.formFields("/settings");
    const res = await people.owner.post("/settings", { form_token: form_token! });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This is not the settings form");
    expect(await toggles()).toEqual(before);
  });

  it("records a change made with an admin key as that key", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.key.post("/settings", {
      ...(await people.key.formFields("/settings")),
      form: "toggles",
      codexLocal: "on",
    });
    expect(res.status).toBe(303);
    const [entry] = (await audit()).filter((a) => a.action === "toggles.update");
    expect(entry.actor).toBe("api_key:bootstrap");
  });

  it("is for owners only: Codex Admins and members are refused, to read and to change", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = await toggles();
    for (const who of [people.admin, people.member]) {
      expect((await who.get("/settings")).status).toBe(403);
      const res = await who.post("/settings", { ...(await who.formFields("/")), form: "toggles" });
      expect(res.status).toBe(403);
    }
    expect(await toggles()).toEqual(before);
  });

  it("refuses a form without this browser's token", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const before = await toggles();
    const res = await people.owner.post("/settings", { form: "toggles" });
    expect(res.status).toBe(403);
    expect(await toggles()).toEqual(before);
  });

  it("changes the workspace the page shows when the owner has several", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const other = await api("POST", "/workspaces", { name: "Second", ownerEmail: "admin@example.com" });
    const page = await (await people.owner.get(`/settings?workspace=${other.id}`)).text();
    expect(page).toContain("Second");
    expect(page).toContain(`action="/settings?workspace=${other.id}"`);
    const res = await people.owner.post(`/settings?workspace=${other.id}`, {
      ...(await people.owner.formFields(`/settings?workspace=${other.id}`)),
      form: "toggles",
      codexLocal: "on",
      agentInternet: "on",
    });
    expect(res.headers.get("location")).toBe(`/settings?workspace=${other.id}&saved=1`);
    expect((await api("GET", `/workspaces/${other.id}/toggles`)).agentInternet).toBe(true);
    expect((await toggles()).agentInternet).toBe(false);
  });

  it("refuses a change for a workspace the viewer cannot change rather than applying it to another", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const other = await api("POST", "/workspaces", { name: "Elsewhere", ownerEmail: "someone@example.com" });
    const before = await toggles();
    const res = await people.owner.post(`/settings?workspace=${other.id}`, {
      ...(await people.owner.formFields("/settings")),
      agentInternet: "on",
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("This form was for a workspace you can no longer change.");
    expect(await toggles()).toEqual(before);
  });
});
