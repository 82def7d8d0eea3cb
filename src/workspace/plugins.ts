import { plugins } from "../db/schema/access";
import { assertRefs } from "./refs";
import { workspaceTableService } from "./table-service";

// Plugins: skills plus the apps they need, and who gets them (an installation policy per role). The admin
// API and the console's Apps page both change them through this service.

export type PluginView = Omit<typeof plugins.$inferSelect, "workspaceId">;
export type PluginFields = Omit<PluginView, "id" | "createdAt">;

export const pluginsService = workspaceTableService(plugins, {
  noun: "plugin",
  idPrefix: "plg",
  // A plugin may only name apps and roles of its own workspace.
  async checkRefs(deps, workspaceId, p) {
    await assertRefs(deps, workspaceId, "app", [...(p.requiredAppIds ?? []), ...(p.optionalAppIds ?? [])]);
    await assertRefs(deps, workspaceId, "role", Object.keys(p.policyByRole ?? {}));
  },
});
