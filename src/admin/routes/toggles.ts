import { requireWorkspaceRow, togglesOf, updateToggles } from "../../workspace/workspaces";
import { type AdminApp, actorOf, adminRoute, jsonBody, okJson, workspaceParams } from "../route-kit";
import { togglesSchema } from "../schemas";

const tags = ["Workspace settings"];

/** At least one switch, and nothing that is not a switch (a misspelt key is an error, not a no-op). */
const togglesPatch = togglesSchema
  .partial()
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: "name at least one switch to change" });

export function togglesApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getToggles",
      path: "/workspaces/{workspaceId}/toggles",
      tags,
      summary:
        "Workspace switches (Codex local, cloud, GitHub connector, code review, full answers, internet)",
      request: { params: workspaceParams },
      responses: okJson(togglesSchema, "The switches"),
    }),
    async (c) =>
      c.json(togglesOf(await requireWorkspaceRow(c.var.deps, c.req.valid("param").workspaceId)), 200),
  );
  app.openapi(
    adminRoute({
      method: "patch",
      operationId: "updateToggles",
      path: "/workspaces/{workspaceId}/toggles",
      tags,
      summary: "Change workspace switches",
      request: { params: workspaceParams, body: jsonBody(togglesPatch) },
      responses: okJson(togglesSchema, "The switches after the change"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      return c.json(await updateToggles(c.var.deps, workspaceId, c.req.valid("json"), actorOf(c)), 200);
    },
  );
}
