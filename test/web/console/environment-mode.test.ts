import { afterEach, describe, expect, it } from "vitest";
import { createTask } from "../../../src/tasks/service";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

// An environment's default mode (Ask or Code) for requests that name none: set through the admin API and the
// console, refused with a 400 naming the field when it is neither, and told by the access explanation.

let hub: World;
afterEach(() => hub?.close());

const path = `/workspaces/${LOCAL_WORKSPACE_ID}/environments`;
const base = { creatorId: LOCAL_OWNER_ID, repository: "acme/web" };

describe("an environment's default mode", () => {
  it("is code unless set, may be ask, and nothing else", async () => {
    hub = createWorld();
    await hub.ready;
    const plain = await hub.admin(path, { method: "POST", body: JSON.stringify({ ...base, name: "Web" }) });
    expect(await plain.json()).toMatchObject({ name: "Web", defaultMode: "code" });
    const asking = await hub.admin(path, {
      method: "POST",
      body: JSON.stringify({ ...base, name: "Questions", defaultMode: "ask" }),
    });
    const created = (await asking.json()) as { id: string; defaultMode: string };
    expect(created.defaultMode).toBe("ask");

    const bad = await hub.admin(`${path}/${created.id}`, {
      method: "PATCH",
      body: JSON.stringify({ defaultMode: "write" }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain("defaultMode");
    const back = await hub.admin(`${path}/${created.id}`, {
      method: "PATCH",
      body: JSON.stringify({ defaultMode: "code" }),
    });
    expect(await back.json()).toMatchObject({ defaultMode: "code" });
    const [change] = hub.audit("environment.update");
    expect(change).toMatchObject({ before: { defaultMode: "ask" }, after: { defaultMode: "code" } });

    const spec = (await (await hub.request("/api/v1/openapi.json")).json()) as any;
    expect(spec.components.schemas.Environment.properties.defaultMode.enum).toEqual(["ask", "code"]);
    expect(spec.components.schemas.Task.properties.mode.enum).toEqual(["ask", "code"]);
  });

  it("is chosen in the console's environment form and shown in the list", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.owner.post("/environments", {
      ...(await people.owner.formFields("/environments")),
      repository: "acme/web",
      name: "Questions",
      description: "",
      visibility: "workspace",
      collaborators: "",
      creator: LOCAL_OWNER_ID,
      defaultMode: "ask",
    });
    expect(res.status).toBe(303);
    const { items } = (await (await hub.admin(path)).json()) as { items: { id: string; name: string }[] };
    const env = items.find((e) => e.name === "Questions") as { id: string; defaultMode?: string };
    expect(env.defaultMode).toBe("ask");
    const edit = await (await people.owner.get(`/environments/${env.id}`)).text();
    expect(edit).toMatch(/<option value="ask" selected/);
    expect(await (await people.owner.get("/environments")).text()).toContain("<td>Ask</td>");

    const explained = await hub.admin("/access/explain", {
      method: "POST",
      body: JSON.stringify({
        workspaceId: LOCAL_WORKSPACE_ID,
        actor: { memberId: LOCAL_OWNER_ID, platform: "slack" },
        surface: "slack",
        action: "task.run",
        environmentId: env.id,
      }),
    });
    expect(await explained.json()).toMatchObject({ defaultMode: "ask" });
  });

  it("an Ask task's mode is on its page and in the admin API", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const ask = (mode?: "ask" | "code") =>
      createTask(hub.deps, {
        workspaceId: LOCAL_WORKSPACE_ID,
        requesterMemberId: LOCAL_OWNER_ID,
        origin: { surface: "api" },
        environmentId: null,
        kind: "task",
        ...(mode ? { mode } : {}),
        title: "Why does login flake?",
        prompt: "Why does login flake?",
        dedupeKey: `test:${crypto.randomUUID()}`,
      });
    const { task: asked } = await ask("ask");
    const { task: plain } = await ask();
    expect(plain.mode).toBe("code");
    expect(await (await hub.admin(`/tasks/${asked.id}`)).json()).toMatchObject({ mode: "ask" });
    const page = await (await people.owner.get(`/tasks/${asked.id}`)).text();
    expect(page).toContain("<dt>Mode</dt>");
    expect(page).toContain("Ask: answers only, nothing is pushed");
    expect(await (await people.owner.get(`/tasks/${plain.id}`)).text()).toContain("Code: may change files");
  });
});
