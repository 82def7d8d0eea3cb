import type { AdminApp } from "./route-kit";
import { analyticsApi } from "./routes/analytics";
import { apiKeysApi } from "./routes/api-keys";
import { appsApi } from "./routes/apps";
import { complianceApi } from "./routes/compliance";
import { environmentsApi } from "./routes/environments";
import { explainApi } from "./routes/explain";
import { githubApi } from "./routes/github";
import { githubReviewsApi } from "./routes/github-reviews";
import { groupsApi } from "./routes/groups";
import { linearApi } from "./routes/linear";
import { memberEnvironmentsApi } from "./routes/member-environments";
import { membersApi } from "./routes/members";
import { ownersApi } from "./routes/owners";
import { pluginsApi } from "./routes/plugins";
import { policiesApi } from "./routes/policies";
import { retentionApi } from "./routes/retention";
import { reviewChoicesApi } from "./routes/review-choices";
import { rolesApi } from "./routes/roles";
import { togglesApi } from "./routes/toggles";
import { workspacesApi } from "./routes/workspaces";

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
  retentionApi(app);
  complianceApi(app);
  analyticsApi(app);
  reviewChoicesApi(app);
  memberEnvironmentsApi(app);
}
