import type { Config } from "../config";

// Warnings every setup page shows before a change that is hard to undo from a browser: a PUBLIC_URL the
// platforms cannot reach, and a restart that leaves sandbox mode (and with it the sandbox's sign-in).

/** True when PUBLIC_URL names this machine only: Slack, GitHub and Linear cannot deliver webhooks there. */
export function isLocalAddress(publicUrl: string): boolean {
  let host: string;
  try {
    host = new URL(publicUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "[::1]" ||
    host === "0.0.0.0" ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

export const localAddressWarning = (publicUrl: string): string =>
  `PUBLIC_URL is ${publicUrl}, an address only this machine can reach: the platform cannot deliver webhooks or send people back here. Set PUBLIC_URL to the hub's public HTTPS address (a reverse proxy or tunnel) and restart before going on.`;

/** Where the hub keeps the secrets it generated (runtime/dev-secrets.ts): beside the database. */
export function devSecretsPath(dbPath: string): string {
  if (dbPath === ":memory:") return "data/dev-secrets.json";
  const slash = dbPath.lastIndexOf("/");
  return `${slash >= 0 ? dbPath.slice(0, slash + 1) : ""}dev-secrets.json`;
}

/** How an owner signs in once the hub has left sandbox mode. */
export const afterSandboxSignIn = (config: Pick<Config, "dbPath">): string =>
  `After that restart the hub leaves sandbox mode and sandbox sign-in is gone. Sign in with GitHub, or at /sign-in with the admin API key: HUB_ADMIN_TOKEN as you set it, or, if you did not set it, the value the hub generated in ${devSecretsPath(config.dbPath)}.`;

/** The warnings of a setup page, as notices. */
export function SetupWarnings(props: { warnings: readonly string[] }) {
  return (
    <>
      {props.warnings.map((w) => (
        <p class="notice warn" role="alert">
          {w}
        </p>
      ))}
    </>
  );
}
