import { apiKeysApi } from "./api-keys-api";
import { appsApi } from "./apps-api";
import { environmentsApi } from "./environments-api";
import { explainApi } from "./explain-api";
import { githubApi } from "./github-api";
import { githubReviewsApi } from "./github-reviews-api";
import { groupsApi } from "./groups-api";
import { linearApi } from "./linear-api";
import { membersApi } from "./members-api";
import { ownersApi } from "./owners-api";
import { pluginsApi } from "./plugins-api";
import { policiesApi } from "./policies-api";
import { rolesApi } from "./roles-api";
import type { AdminApp } from "./route-kit";
import { togglesApi } from "./toggles-api";
import { workspacesApi } from "./workspaces-api";

/** Every access-control router of the admin API, in the order they appear in the OpenAPI document. */
export function adminRouters(app: AdminApp) {
  apiKeysApi(app);
  workspacesApi(app);
  togglesApi(app);
  membersApi(app);
  ownersApi(app);
  groupsApi(app);
  rolesApi(app);
  appsApi(app);
  pluginsApi(app);
  environmentsApi(app);
  policiesApi(app);
  explainApi(app);
  githubApi(app);
  githubReviewsApi(app);
  linearApi(app);
}
