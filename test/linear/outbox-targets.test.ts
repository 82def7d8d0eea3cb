import { afterEach, describe, expect, it } from "vitest";
import { agentActivityCreate } from "../../src/clients/linear/calls";
import type { OutboundRequest } from "../../src/clients/types";
import { outbox } from "../../src/db/schema/outbox";
import { outboundQuery } from "../../src/outbox/enqueue";
import { deliverDue } from "../../src/outbox/worker";
import { saveInstallation } from "../../src/surfaces/linear/installations";
import { useMockServer } from "../helpers/mock-server";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { ORG, SESSION } from "./linear-fake";

// Which token makes a queued Linear call: the organization's OAuth token when the call names an organization
// with an installation, LINEAR_API_KEY otherwise. Calls name it in their target; rows queued before targets
// existed name it in their args (`_organization`) and are still sent for that organization.

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

const content = (body: string) => ({ type: "thought" as const, body });

async function queueRow(request: OutboundRequest, key: string) {
  await outboundQuery(hub.deps, { request, dedupeKey: key });
}

describe("queued Linear calls", () => {
  it("go out with the token of the organization they name, by target or by a row's old `_organization` argument", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await saveInstallation(hub.deps, {
      workspaceId: WS,
      organizationId: ORG,
      organizationName: "Acme",
      appUserId: "app-user",
      grant: { access_token: "lin_oauth_acme" },
      actor: "system",
    });

    await queueRow(
      agentActivityCreate(
        { organizationId: ORG },
        { id: "act-1", agentSessionId: SESSION, content: content("target") },
      ),
      "test:target",
    );
    // As the outbox stored calls before targets: the organization among the args, no target.
    await queueRow(
      {
        platform: "linear",
        operation: "agentActivityCreate",
        args: { id: "act-2", agentSessionId: SESSION, content: content("stored before"), _organization: ORG },
      },
      "test:legacy",
    );
    await queueRow(
      agentActivityCreate({}, { id: "act-3", agentSessionId: SESSION, content: content("no organization") }),
      "test:none",
    );
    await queueRow(
      agentActivityCreate(
        { organizationId: "org-elsewhere" },
        { id: "act-4", agentSessionId: SESSION, content: content("not installed") },
      ),
      "test:elsewhere",
    );
    const rows = await hub.database.db.select().from(outbox);
    expect(Object.fromEntries(rows.map((r) => [r.dedupeKey, r.target]))).toEqual({
      "test:target": JSON.stringify({ organizationId: ORG }),
      "test:legacy": null,
      "test:none": JSON.stringify({}),
      "test:elsewhere": JSON.stringify({ organizationId: "org-elsewhere" }),
    });

    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 4, sent: 4 });
    // Queued in the same instant, so sent in no particular order: sorted by the activity's id.
    const sent = hub.fake.calls
      .map((c) => ({ auth: c.auth, input: c.variables.input }))
      .sort((a, b) => a.input.id.localeCompare(b.input.id));
    expect(sent).toEqual([
      {
        auth: "Bearer lin_oauth_acme",
        input: { id: "act-1", agentSessionId: SESSION, content: content("target") },
      },
      // Linear is never sent the argument itself.
      {
        auth: "Bearer lin_oauth_acme",
        input: { id: "act-2", agentSessionId: SESSION, content: content("stored before") },
      },
      {
        auth: "lin_api_test",
        input: { id: "act-3", agentSessionId: SESSION, content: content("no organization") },
      },
      {
        auth: "lin_api_test",
        input: { id: "act-4", agentSessionId: SESSION, content: content("not installed") },
      },
    ]);
  });
});
