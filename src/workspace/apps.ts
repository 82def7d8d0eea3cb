import { apps } from "../db/schema/access";
import { assertRefs } from "./refs";
import { workspaceTableService } from "./table-service";

// Apps (the Slack, GitHub and Linear integrations and custom apps): one row each. The admin API and the
// console's Apps page both change them through this service, so both check an audience the same way and
// record the same audit entries.

export type AppView = Omit<typeof apps.$inferSelect, "workspaceId">;
export type AppFields = Omit<AppView, "id" | "createdAt">;

export const appsService = workspaceTableService(apps, {
  noun: "app",
  idPrefix: "app",
  // An assigned app's audience may only name members, groups and roles of its own workspace.
  async checkRefs(deps, workspaceId, { access }) {
    if (access?.type !== "assigned") return;
    await assertRefs(deps, workspaceId, "member", access.memberIds);
    await assertRefs(deps, workspaceId, "group", access.groupIds);
    await assertRefs(deps, workspaceId, "role", access.roleIds);
  },
});
