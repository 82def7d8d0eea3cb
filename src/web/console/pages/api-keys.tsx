import { z } from "zod";
import { apiScopes } from "../../../db/schema/api-keys";
import { createApiKey, listApiKeys, revokeApiKey } from "../../../workspace/api-keys";
import { nameSchema } from "../../../workspace/field-schemas";
import {
  type ConsoleApp,
  type ConsoleContext,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
  savedRedirect,
} from "../kit";
import { ApiKeyTable, CreateKeyForm, NewKey } from "./api-keys-forms";
import { attempt, issuesRefusal, type Refusal, RefusalNotice } from "./form-errors";

// API keys (owners only): who may call the admin API and SCIM. A new key is shown once, on the page that
// answers the form (201, never cached, never in a URL); the list shows only its first characters.

const PATH = "/api-keys";
const LEVEL = "owner";

/** The admin API's create body: a name and at least one scope; unusable scopes are the domain's to refuse. */
const createSchema = z.object({
  name: nameSchema,
  scopes: z.array(z.enum(apiScopes)).min(1, "choose at least one scope"),
});

async function listPage(c: ConsoleContext, form?: { name: string; scopes: string[]; refusal: Refusal }) {
  const keys = await listApiKeys(c.var.deps);
  return consolePage(
    c,
    {
      title: "API keys",
      path: PATH,
      children: (
        <>
          <h1>API keys</h1>
          <Notices c={c} />
          <p>Keys for the admin API and SCIM provisioning. Revoke a key as soon as it is no longer needed.</p>
          <ApiKeyTable c={c} keys={keys} />
          <h2 id="create">Create API key</h2>
          <RefusalNotice refusal={form?.refusal} />
          <CreateKeyForm c={c} name={form?.name ?? ""} scopes={form?.scopes ?? []} />
        </>
      ),
    },
    form?.refusal.status ?? 200,
  );
}

export function apiKeysPage(app: ConsoleApp) {
  app.get(PATH, needs(LEVEL, PATH), (c) => listPage(c));

  app.post(PATH, ...changeGuard(LEVEL, PATH), async (c) => {
    const fields = await formFields(c);
    const name = fields.name ?? "";
    // Every scope named in the form, offered or not: a refused one is explained, not silently dropped.
    const scopes = Object.keys(fields)
      .filter((k) => k.startsWith("scope_"))
      .map((k) => k.slice("scope_".length));
    const parsed = createSchema.safeParse({ name, scopes });
    if (!parsed.success) {
      const refusal = issuesRefusal(parsed.error, { name: "Name", scopes: "Scopes" });
      return listPage(c, { name, scopes, refusal });
    }
    const done = await attempt(() => createApiKey(c.var.deps, parsed.data, c.var.viewer.actor));
    if (!done.ok) return listPage(c, { name, scopes, refusal: done.refusal });
    const created = done.value;
    return consolePage(
      c,
      {
        title: "API key created",
        path: PATH,
        children: <NewKey name={created.name} keyText={created.key} scopes={created.scopes} />,
      },
      201,
    );
  });

  app.post(`${PATH}/:id/revoke`, ...changeGuard(LEVEL, PATH), async (c) => {
    const done = await attempt(() => revokeApiKey(c.var.deps, c.req.param("id"), c.var.viewer.actor));
    if (!done.ok) return listPage(c, { name: "", scopes: [], refusal: done.refusal });
    return savedRedirect(c, PATH);
  });
}
