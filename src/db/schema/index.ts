/** Every table of the hub, one file per area. drizzle-kit reads this file to generate migrations. */
export * from "./inbox";
export * from "./sandbox";
export * from "./workspaces";
export * from "./access";
export * from "./audit";
export * from "./api-keys";
export * from "./outbox";
export * from "./notify";
export * from "./sessions";
