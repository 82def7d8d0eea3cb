// Public surface of the access core: types, the decision function and the building blocks admin views use.
export { ACTION_RULES, type ActionRule, type Gate } from "./actions";
export { appAudience, checkAppUsable, isAppUsableBy, SURFACE_APP_KIND } from "./apps";
export { decide } from "./decide";
export {
  canDeleteEnvironment,
  canEditEnvironment,
  canSeeEnvironment,
  effectiveInternet,
  environmentAccess,
  repoAllows,
} from "./environments";
export { CONNECT_GITHUB_PATH, LOCAL_DISABLED_MESSAGE } from "./messages";
export { pluginStatusFor, rolePolicy } from "./plugins";
export { lookupPolicy, type PolicyLookup, type PolicyQuery, policyResolver } from "./policies";
export { effectiveRbac, groupRoleMap, resolveMemberRoles, resolvePermissions } from "./rbac";
export {
  parseRequirements,
  type Requirements,
  requirementsSchema,
  validateRequirements,
} from "./requirements";
export {
  ensureIndexed,
  type IndexedSnapshot,
  indexSnapshot,
  isIndexed,
  type MemberEntry,
} from "./snapshot-index";
export * from "./types";
