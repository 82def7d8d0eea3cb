import { z } from "zod";

/**
 * Environment → Config. The only module that reads environment variables (callers pass the record in).
 * With no platform credentials the hub runs in sandbox mode: outbound calls are recorded, not sent, and
 * development secrets are generated once and kept beside the database (see runtime/dev-secrets.ts).
 */

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const url = z.url({ message: "must be an absolute http(s) URL" }).refine((v) => /^https?:\/\//.test(v), {
  message: "must be an absolute http(s) URL",
});
const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .pipe(url.optional())
  .optional();

const positiveInt = (fallback: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: "must be a whole number" })
    .transform(Number)
    .refine((n) => n > 0, { message: "must be greater than 0" })
    .optional()
    .transform((n) => n ?? fallback);

const base64Key32 = z
  .string()
  .trim()
  .refine((v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && atob(v).length === 32, {
    message: "must be 32 random bytes, base64-encoded (e.g. `openssl rand -base64 32`)",
  });

export const envSchema = z
  .object({
    PORT: z
      .string()
      .trim()
      .regex(/^\d+$/, { message: "must be a port number" })
      .transform(Number)
      .refine((n) => n >= 0 && n <= 65535, { message: "must be between 0 and 65535" })
      .optional()
      .transform((n) => n ?? 8787),
    /** The address to listen on; unset, it depends on sandbox mode (see loadConfig). */
    HOST: optionalText,
    HUB_DB_PATH: optionalText.transform((v) => v ?? "./data/hub.sqlite"),
    PUBLIC_URL: optionalUrl,
    HUB_ENCRYPTION_KEY: base64Key32.optional(),
    HUB_ADMIN_TOKEN: z.string().trim().min(24, { message: "must be at least 24 characters" }).optional(),
    HUB_LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .optional()
      .default("info"),
    HUB_INBOX_RETENTION_DAYS: positiveInt(7),
    HUB_INBOX_LEASE_MS: positiveInt(60_000),
    HUB_TASK_TIMEOUT_SECONDS: positiveInt(15 * 60),
    HUB_TASK_LEASE_MS: positiveInt(30_000),
    /** Unset (0): chosen by the executor, see tasks.capacity below. */
    HUB_TASK_CAPACITY: positiveInt(0),
    HUB_COMPLIANCE_LOG_MAX_EVENTS: positiveInt(1000),
    /** The Node process's threads: 3 (HTTP, inbox writes, background work) or 1 (all on one: less memory). */
    HUB_THREADS: z
      .string()
      .trim()
      .pipe(z.enum(["1", "3"], { message: "must be 1 or 3" }))
      .optional()
      .default("3")
      .transform((threads) => (threads === "1" ? 1 : 3)),
    GITHUB_APP_ID: optionalText,
    GITHUB_PRIVATE_KEY: optionalText,
    GITHUB_WEBHOOK_SECRET: optionalText,
    GITHUB_WEBHOOK_SECRET_PREVIOUS: optionalText,
    GITHUB_API_URL: optionalUrl.transform((v) => v ?? "https://api.github.com"),
    /** The GitHub App's OAuth client, for members connecting their GitHub account (/connect/github). */
    GITHUB_CLIENT_ID: optionalText,
    GITHUB_CLIENT_SECRET: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_SIGNING_SECRET_PREVIOUS: optionalText,
    SLACK_BOT_TOKEN: optionalText.pipe(
      z.string().startsWith("xoxb-", { message: "must be a bot token starting with xoxb-" }).optional(),
    ),
    SLACK_API_URL: optionalUrl.transform((v) => v ?? "https://slack.com/api/"),
    /** The Slack app's OAuth client, for "Sign in with Slack" (OpenID Connect) on the task page. */
    SLACK_CLIENT_ID: optionalText,
    SLACK_CLIENT_SECRET: optionalText,
    LINEAR_WEBHOOK_SECRET: optionalText,
    LINEAR_WEBHOOK_SECRET_PREVIOUS: optionalText,
    LINEAR_API_KEY: optionalText,
    LINEAR_API_URL: optionalUrl.transform((v) => v ?? "https://api.linear.app/graphql"),
    /** The Linear OAuth application, for installing Codex as an app actor (/setup/linear). */
    LINEAR_CLIENT_ID: optionalText,
    LINEAR_CLIENT_SECRET: optionalText,
    HUB_EXECUTOR: z.enum(["command", "codex", "http"]).optional(),
    HUB_EXECUTOR_COMMAND: optionalText,
    HUB_EXECUTOR_URL: optionalUrl,
    HUB_EXECUTOR_SECRET: optionalText,
    /** The egress proxy agents' traffic goes through (runtime/egress-proxy.ts), on 127.0.0.1; 0: any free port. */
    HUB_EGRESS_PROXY_PORT: z
      .string()
      .trim()
      .regex(/^\d+$/, { message: "must be a port number (0: any free port)" })
      .transform(Number)
      .refine((n) => n >= 0 && n <= 65535, { message: "must be between 0 and 65535" })
      .optional()
      .transform((n) => n ?? 0),
  })
  .superRefine((env, ctx) => {
    if (env.GITHUB_APP_ID && !/^\d+$/.test(env.GITHUB_APP_ID)) {
      ctx.addIssue({ code: "custom", path: ["GITHUB_APP_ID"], message: "must be the numeric App ID" });
    }
    if (env.GITHUB_APP_ID && !env.GITHUB_PRIVATE_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["GITHUB_PRIVATE_KEY"],
        message: "is required when GITHUB_APP_ID is set",
      });
    }
    if (env.GITHUB_PRIVATE_KEY && !env.GITHUB_PRIVATE_KEY.includes("PRIVATE KEY")) {
      ctx.addIssue({ code: "custom", path: ["GITHUB_PRIVATE_KEY"], message: "must be a PEM private key" });
    }
    // An OAuth client is an id and a secret: both or neither.
    for (const [id, secret, platform] of [
      ["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET", "GitHub"],
      ["SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET", "Slack"],
      ["LINEAR_CLIENT_ID", "LINEAR_CLIENT_SECRET", "Linear"],
    ] as const) {
      if (Boolean(env[id]) === Boolean(env[secret])) continue;
      const path = [env[id] ? secret : id];
      ctx.addIssue({
        code: "custom",
        path,
        message: `is required when the other ${platform} OAuth variable is set`,
      });
    }
    if (env.HUB_EXECUTOR === "http" && !env.HUB_EXECUTOR_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["HUB_EXECUTOR_URL"],
        message: "is required when HUB_EXECUTOR=http",
      });
    }
    // Secrets a platform must share with the hub cannot be generated: the platform has to be told them.
    const required: [keyof ParsedEnvShape, unknown, string][] = [
      [
        "HUB_ENCRYPTION_KEY",
        isLive(env),
        "is required outside sandbox mode (secrets at rest are sealed with it)",
      ],
      ["GITHUB_WEBHOOK_SECRET", env.GITHUB_APP_ID, "is required when GITHUB_APP_ID is set"],
      [
        "SLACK_SIGNING_SECRET",
        env.SLACK_BOT_TOKEN || env.SLACK_CLIENT_ID,
        "is required when SLACK_BOT_TOKEN or SLACK_CLIENT_ID is set",
      ],
      [
        "LINEAR_WEBHOOK_SECRET",
        env.LINEAR_API_KEY || env.LINEAR_CLIENT_ID,
        "is required when LINEAR_API_KEY or LINEAR_CLIENT_ID is set",
      ],
      ["HUB_EXECUTOR_SECRET", env.HUB_EXECUTOR === "http", "is required when HUB_EXECUTOR=http"],
      [
        "HUB_EXECUTOR_COMMAND",
        env.HUB_EXECUTOR === "command" && isLive(env),
        "is required when HUB_EXECUTOR=command outside sandbox mode",
      ],
    ];
    for (const [name, when, message] of required) {
      if (when && !env[name]) ctx.addIssue({ code: "custom", path: [name], message });
    }
  });

type ParsedEnvShape = z.input<typeof envSchema>;

type ParsedEnv = z.infer<typeof envSchema>;

/** Any platform credential (a token, an App, or an OAuth app to install with) means real traffic: no sandbox. */
function isLive(
  env: Pick<
    ParsedEnv,
    "GITHUB_APP_ID" | "SLACK_BOT_TOKEN" | "SLACK_CLIENT_ID" | "LINEAR_API_KEY" | "LINEAR_CLIENT_ID"
  >,
): boolean {
  return Boolean(
    env.GITHUB_APP_ID ||
      env.SLACK_BOT_TOKEN ||
      env.SLACK_CLIENT_ID ||
      env.LINEAR_API_KEY ||
      env.LINEAR_CLIENT_ID,
  );
}

/** Secrets the hub generates for itself in sandbox mode (or when an operator leaves them unset). */
export interface GeneratedSecrets {
  HUB_ADMIN_TOKEN: string;
  HUB_ENCRYPTION_KEY: string;
  HUB_EXECUTOR_SECRET: string;
  GITHUB_WEBHOOK_SECRET: string;
  SLACK_SIGNING_SECRET: string;
  LINEAR_WEBHOOK_SECRET: string;
}

export const generatedSecretNames = [
  "HUB_ADMIN_TOKEN",
  "HUB_ENCRYPTION_KEY",
  "HUB_EXECUTOR_SECRET",
  "GITHUB_WEBHOOK_SECRET",
  "SLACK_SIGNING_SECRET",
  "LINEAR_WEBHOOK_SECRET",
] as const satisfies readonly (keyof GeneratedSecrets)[];

export interface Config {
  port: number;
  /** The interface the HTTP server binds to. */
  host: string;
  dbPath: string;
  publicUrl: string;
  /** True when no platform credentials are configured: every outbound call is recorded, none is sent. */
  sandbox: boolean;
  logLevel: ParsedEnv["HUB_LOG_LEVEL"];
  encryptionKey: string;
  adminToken: string;
  inbox: { retentionDays: number; leaseMs: number };
  /** Per-task time limit (a workspace may lower or raise it) and how long a runner's claim lasts unrenewed. */
  /** `capacity`: tasks this hub runs at once (the workspaces' own limits apply within it). */
  tasks: { timeoutMs: number; leaseMs: number; capacity: number };
  /** A compliance log file closes at the end of its hour or when it holds this many events. */
  compliance: { logMaxEvents: number };
  /**
   * Node only. 3: the HTTP server, the inbox's durable writes and the background work (processing, tasks, the
   * outbox) each on a thread of their own; 1: all three share the main thread, which saves two V8 heaps.
   */
  threads: 1 | 3;
  github: {
    appId?: string;
    privateKey?: string;
    apiUrl: string;
    webhookSecrets: string[];
    clientId?: string;
    clientSecret?: string;
  };
  slack: {
    botToken?: string;
    apiUrl: string;
    signingSecrets: string[];
    clientId?: string;
    clientSecret?: string;
  };
  linear: {
    apiKey?: string;
    apiUrl: string;
    webhookSecrets: string[];
    clientId?: string;
    clientSecret?: string;
  };
  executor: { kind: "command" | "codex" | "http"; command?: string; url?: string; secret: string };
  /** The loopback port of the egress proxy the command and codex executors send agents' traffic through. */
  egressProxy: { port: number };
}

export class ConfigError extends Error {
  /** `file`: the problems are in that file (the generated secrets), not in the environment. */
  constructor(
    readonly problems: { variable: string; message: string }[],
    readonly file?: string,
  ) {
    const list = problems.map((p) => `  - ${p.variable}: ${p.message}`).join("\n");
    super(
      file
        ? `Invalid configuration in ${file}:\n${list}\nFix or remove these entries and start again ` +
            "(an entry removed from the file is generated anew)."
        : `Invalid configuration:\n${list}\n` +
            "Fix these environment variables and start again (see the README's configuration table).",
    );
    this.name = "ConfigError";
  }
}

/** Which secrets the environment leaves unset, so the runtime can generate and keep them. */
export function missingSecrets(env: Record<string, string | undefined>): (keyof GeneratedSecrets)[] {
  return generatedSecretNames.filter((name) => !env[name]?.trim());
}

/**
 * Builds the Config. `generated` fills secrets the environment does not set; outside sandbox mode the
 * webhook secrets of a configured platform must come from the environment, since the platform has to know them.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  generated?: Partial<GeneratedSecrets>,
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "environment"),
      message: issue.message,
    }));
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const sandbox = !isLive(e);
  const executorKind = e.HUB_EXECUTOR ?? (e.HUB_EXECUTOR_URL ? "http" : "command");
  const secret = (name: keyof GeneratedSecrets): string => e[name] ?? generated?.[name] ?? "";
  const config: Config = {
    port: e.PORT,
    // A sandbox hub lets anyone who reaches it sign in as the workspace owner, so by default it is reachable
    // from this machine only; a live hub serves platforms' webhooks and is open on every IPv4 interface.
    host: e.HOST ?? (sandbox ? "127.0.0.1" : "0.0.0.0"),
    dbPath: e.HUB_DB_PATH,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    sandbox,
    logLevel: e.HUB_LOG_LEVEL,
    encryptionKey: secret("HUB_ENCRYPTION_KEY"),
    adminToken: secret("HUB_ADMIN_TOKEN"),
    inbox: { retentionDays: e.HUB_INBOX_RETENTION_DAYS, leaseMs: e.HUB_INBOX_LEASE_MS },
    tasks: {
      timeoutMs: e.HUB_TASK_TIMEOUT_SECONDS * 1000,
      leaseMs: e.HUB_TASK_LEASE_MS,
      // Agents of the command and codex executors run on this machine, a few at a time; an http runner's
      // tasks run elsewhere and hold only a lease here, so the workspaces' limits and the runner's own
      // answers (429, 503: tried again later) decide how many run.
      capacity: e.HUB_TASK_CAPACITY || (executorKind === "http" ? 200 : 8),
    },
    compliance: { logMaxEvents: e.HUB_COMPLIANCE_LOG_MAX_EVENTS },
    threads: e.HUB_THREADS,
    github: {
      appId: e.GITHUB_APP_ID,
      privateKey: e.GITHUB_PRIVATE_KEY?.replace(/\\n/g, "\n"),
      apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ""),
      clientId: e.GITHUB_CLIENT_ID,
      clientSecret: e.GITHUB_CLIENT_SECRET,
      webhookSecrets: compact([secret("GITHUB_WEBHOOK_SECRET"), e.GITHUB_WEBHOOK_SECRET_PREVIOUS]),
    },
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      apiUrl: e.SLACK_API_URL.endsWith("/") ? e.SLACK_API_URL : `${e.SLACK_API_URL}/`,
      signingSecrets: compact([secret("SLACK_SIGNING_SECRET"), e.SLACK_SIGNING_SECRET_PREVIOUS]),
      clientId: e.SLACK_CLIENT_ID,
      clientSecret: e.SLACK_CLIENT_SECRET,
    },
    linear: {
      apiKey: e.LINEAR_API_KEY,
      apiUrl: e.LINEAR_API_URL,
      webhookSecrets: compact([secret("LINEAR_WEBHOOK_SECRET"), e.LINEAR_WEBHOOK_SECRET_PREVIOUS]),
      clientId: e.LINEAR_CLIENT_ID,
      clientSecret: e.LINEAR_CLIENT_SECRET,
    },
    executor: {
      kind: executorKind,
      command: e.HUB_EXECUTOR_COMMAND,
      url: e.HUB_EXECUTOR_URL,
      secret: secret("HUB_EXECUTOR_SECRET"),
    },
    egressProxy: { port: e.HUB_EGRESS_PROXY_PORT },
  };
  return config;
}

function compact(values: (string | undefined)[]): string[] {
  return values.filter((v): v is string => Boolean(v));
}
