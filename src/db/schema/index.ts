/** Every table of the hub, one file per area. drizzle-kit reads this file to generate migrations. */

export * from "./access";
export * from "./analytics";
export * from "./api-keys";
export * from "./audit";
export * from "./compliance";
export * from "./github";
export * from "./inbox";
export * from "./linear";
export * from "./notify";
export * from "./outbox";
export * from "./people";
export * from "./sandbox";
export * from "./sessions";
export * from "./slack";
export * from "./task-limits";
export * from "./tasks";
export * from "./workspaces";
