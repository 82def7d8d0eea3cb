/** Every table of the hub, one file per area. drizzle-kit reads this file to generate migrations. */
export * from "./inbox";
export * from "./sandbox";
