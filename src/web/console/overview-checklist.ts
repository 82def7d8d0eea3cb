// The overview's setup checklist, computed from plain facts (overview-facts.ts reads them) so every case is a
// table test. Each unfinished step says what is missing and where it is finished: a console page, a setup URL
// or a README section. Platforms are optional, so a platform left unconfigured is "optional", not "todo".

export type PlatformName = "slack" | "github" | "linear";

export interface PlatformFacts {
  /** The variables or stored credentials that configure it; empty when none. */
  configuredBy: string[];
  /** Tenants (Slack teams, GitHub installations, Linear organizations) linked to this workspace. */
  linked: string[];
  /** When the hub last received a delivery from the platform (inbox), or null. */
  lastEventAt: number | null;
}

export interface SetupFacts {
  sandbox: boolean;
  platforms: Record<PlatformName, PlatformFacts>;
  /** The id of a GitHub App created at /setup/github that the hub will use from its next start. */
  githubAppAwaitingRestart: string | null;
  /** Whether a Slack app OAuth client is configured (installs go through /setup/slack). */
  slackOAuth: boolean;
  /** Whether a Linear OAuth application is configured (installs go through /setup/linear). */
  linearOAuth: boolean;
  /** Workspace switches that are off, by their product names. */
  togglesOff: { key: string; name: string }[];
  environments: number;
  executor: { kind: string; ready: boolean };
}

export interface StepLink {
  href?: string;
  label: string;
}

export interface SetupStep {
  id: string;
  title: string;
  status: "done" | "todo" | "optional";
  detail: string;
  fix?: StepLink;
}

const PLATFORM_LABELS: Record<PlatformName, string> = { slack: "Slack", github: "GitHub", linear: "Linear" };

/** Which tenant kind a platform links, in words. */
const TENANT: Record<PlatformName, string> = {
  slack: "Slack team",
  github: "GitHub App installation",
  linear: "Linear organization",
};

function readme(section: string): StepLink {
  return { label: `README: ${section}` };
}

function configureLink(platform: PlatformName): StepLink {
  if (platform === "github") return { href: "/setup/github", label: "Create the GitHub App (/setup/github)" };
  return readme(`Platform setup > ${PLATFORM_LABELS[platform]}`);
}

function linkFix(platform: PlatformName, facts: SetupFacts): StepLink {
  if (platform === "slack" && facts.slackOAuth) return { href: "/setup/slack", label: "Install in Slack" };
  if (platform === "linear" && facts.linearOAuth)
    return { href: "/setup/linear", label: "Install in Linear" };
  if (platform === "github") return { href: "#unlinked", label: "Install the App, then link it below" };
  if (platform === "slack") return { href: "#unlinked", label: "Restart the hub, or link the team below" };
  return { href: "#unlinked", label: "Link the organization below" };
}

const when = (at: number) => new Date(at).toISOString().replace("T", " ").slice(0, 16);

function platformSteps(platform: PlatformName, facts: SetupFacts): SetupStep[] {
  const label = PLATFORM_LABELS[platform];
  const p = facts.platforms[platform];
  if (platform === "github" && p.configuredBy.length === 0 && facts.githubAppAwaitingRestart) {
    return [
      {
        id: "github.configured",
        title: "GitHub: restart the hub to use the new App",
        status: "todo",
        detail: `GitHub App ${facts.githubAppAwaitingRestart} is stored; the hub reads it at start.${facts.sandbox ? " The restart leaves sandbox mode: sign in with GitHub or with the admin API key (HUB_ADMIN_TOKEN) afterwards." : ""}`,
        fix: readme("First real setup > GitHub"),
      },
    ];
  }
  if (p.configuredBy.length === 0) {
    return [
      {
        id: `${platform}.configured`,
        title: `${label}: not configured`,
        status: "optional",
        detail: facts.sandbox
          ? `In sandbox mode ${label} traffic is simulated (/sandbox).`
          : `The hub does not use ${label}. Skip this unless you want it.`,
        fix: configureLink(platform),
      },
    ];
  }
  const linked: SetupStep =
    p.linked.length > 0
      ? {
          id: `${platform}.linked`,
          title: `${label}: linked to this workspace`,
          status: "done",
          detail: `${TENANT[platform]}: ${p.linked.join(", ")}.`,
        }
      : {
          id: `${platform}.linked`,
          title: `${label}: link a ${TENANT[platform]} to this workspace`,
          status: "todo",
          detail: `Events from a ${TENANT[platform]} no workspace knows are ignored.`,
          fix: linkFix(platform, facts),
        };
  const events: SetupStep =
    p.lastEventAt !== null
      ? {
          id: `${platform}.events`,
          title: `${label}: receiving events`,
          status: "done",
          detail: `Last event received ${when(p.lastEventAt)} UTC.`,
        }
      : {
          id: `${platform}.events`,
          title: `${label}: no event received yet`,
          status: "todo",
          detail: `Point ${label}'s webhooks at this hub's PUBLIC_URL and use Codex there once (a mention, or @codex review on GitHub) to check.`,
          fix: readme(`Platform setup > ${label}`),
        };
  return [
    {
      id: `${platform}.configured`,
      title: `${label}: configured`,
      status: "done",
      detail: `By ${p.configuredBy.join(", ")}.`,
    },
    linked,
    events,
  ];
}

/** The checklist, in the order an admin works through it. */
export function setupChecklist(facts: SetupFacts): SetupStep[] {
  const steps: SetupStep[] = [];
  if (facts.sandbox) {
    steps.push({
      id: "sandbox",
      title: "Sandbox mode",
      status: "todo",
      detail:
        "No platform credentials are set: outbound calls are recorded on /sandbox, not sent. Set a platform's variables and restart to go live.",
      fix: readme("First real setup"),
    });
  }
  for (const platform of ["slack", "github", "linear"] as const)
    steps.push(...platformSteps(platform, facts));
  if (!Object.values(facts.platforms).some((p) => p.configuredBy.length > 0) && !facts.sandbox) {
    steps.push({
      id: "platforms",
      title: "Configure at least one platform",
      status: "todo",
      detail: "Without Slack, GitHub or Linear nobody can reach Codex.",
      fix: readme("First real setup"),
    });
  }
  for (const toggle of facts.togglesOff) {
    steps.push({
      id: `toggle.${toggle.key}`,
      title: `Turn on "${toggle.name}"`,
      status: "todo",
      detail: "This workspace switch is off; requests that need it are refused.",
      fix: { href: "/settings", label: "Settings" },
    });
  }
  steps.push(
    facts.environments > 0
      ? {
          id: "environment",
          title: "An environment exists",
          status: "done",
          detail: `${facts.environments} environment${facts.environments === 1 ? "" : "s"}.`,
        }
      : {
          id: "environment",
          title: "Create an environment",
          status: "todo",
          detail: "Tasks run in an environment (a repository); with none, every task fails to start.",
          fix: { href: "/environments", label: "Environments" },
        },
  );
  steps.push(executorStep(facts));
  return steps;
}

function executorStep(facts: SetupFacts): SetupStep {
  const { kind, ready } = facts.executor;
  if (ready) {
    return {
      id: "executor",
      title: "An executor is configured",
      status: "done",
      detail: `HUB_EXECUTOR=${kind}.`,
    };
  }
  const missing =
    kind === "http" ? "HUB_EXECUTOR_URL" : kind === "command" ? "HUB_EXECUTOR_COMMAND" : "HUB_EXECUTOR";
  return {
    id: "executor",
    title: "Configure an executor",
    // The sandbox runs the demo agent; a live hub without an executor fails every task.
    status: facts.sandbox ? "optional" : "todo",
    detail: facts.sandbox
      ? `Sandbox tasks are answered by the demo agent. A live hub needs HUB_EXECUTOR (command, codex or http) and ${missing}.`
      : `No executor: every task fails. Set HUB_EXECUTOR (command, codex or http) and ${missing}, then restart.`,
    fix: readme("Configuration > Executors"),
  };
}
