import { apiKeysApi } from "./api-keys-api";
import type { AdminApp } from "./route-kit";

/** Every access-control router of the admin API, in the order they appear in the OpenAPI document. */
export function adminRouters(app: AdminApp) {
  apiKeysApi(app);
}
