import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { AccessRequest } from "../../access/types";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/processor";
import { decideAndRecord } from "../../pipeline/access";
import { renderConfirmPrompt } from "../../replies/slack-interactive";
import { memberRepoPermission } from "./environments";
import type { MentionPending, ResumeOptions } from "./mention";
import { isExternallyShared, messageKey, startMentionTask } from "./mention-task";
import { tell, textMessage } from "./outbound";
import { createPending } from "./pending";

// The last step of a mention, once its environment is known: GitHub's answer for the member's repository
// access, the recorded access decision, the pull-request write (which an app may want confirmed first), and
// the task.

export interface DecideInput {
  pending: MentionPending;
  options: ResumeOptions;
  snapshot: IndexedSnapshot;
  memberId: string | null;
  base: AccessRequest;
  parsedPrompt: string;
  environmentId: string;
  record: (r: AccessRequest) => ReturnType<typeof decideAndRecord>;
  refuse: (d: Awaited<ReturnType<typeof decideAndRecord>>, environmentId?: string) => Promise<StepResult>;
}

export async function decideAndStart(deps: Deps, input: DecideInput): Promise<StepResult> {
  const { pending, options, snapshot, memberId, environmentId } = input;
  const { request, workspaceId } = pending;
  const env = snapshot.environments.get(environmentId)?.env;
  const githubLogin = memberId ? snapshot.members.get(memberId)?.member.identities.githubLogin : undefined;
  const permission = env
    ? await memberRepoPermission(deps, { workspaceId, githubLogin, repository: env.repository })
    : null;
  const accessRequest: AccessRequest = {
    ...input.base,
    environmentId,
    repoPermission: permission,
    githubLinked: Boolean(githubLogin),
  };
  const decision = await input.record(accessRequest);
  if (!decision.allowed || !memberId || !env) return input.refuse(decision, environmentId);

  // The task may open a pull request: a write, which apps may forbid or ask the person to confirm first.
  // Recorded apart from the task's own decision (its target says so), so `/codex explain` shows both.
  const write = await decideAndRecord(deps, {
    workspaceId,
    request: { ...accessRequest, action: "pr.open", confirmed: options.confirmed === true },
    actorLabel: `slack:${request.userId}`,
    target: `${messageKey(request)}:write`,
  });
  if (write.code === "CONFIRMATION_REQUIRED" && !options.declinedWrite) {
    const ref = await createPending(deps, {
      workspaceId,
      kind: "confirm",
      teamId: request.teamId,
      userId: request.userId,
      payload: { ...pending, environmentId } satisfies MentionPending,
    });
    const apps = (["slack", "github"] as const)
      .map((kind) => snapshot.appByKind.get(kind)?.app)
      .filter((app) => app?.confirmWrites)
      .map((app) => app?.name);
    const prompt = renderConfirmPrompt({
      confirmRef: ref,
      appName: apps.join(" and ") || "An app",
      summary: `let Codex open a pull request on ${env.repository} if this task changes code. “Don't do it” still runs the task, without a pull request.`,
    });
    await tell(deps, options.audience, prompt, `${options.tellKey}:confirm`);
    return { outcome: "asked to confirm the pull request write" };
  }
  const externallyShared = await isExternallyShared(
    deps,
    request,
    snapshot.snapshot.toggles.slackFullAnswers,
  );
  const { task, created } = await startMentionTask(deps, {
    workspaceId,
    memberId,
    request,
    prompt: input.parsedPrompt,
    environment: { id: env.id, name: env.name },
    repoPermission: permission,
    write: options.declinedWrite
      ? { allowed: false, reason: "you chose not to let Codex open a pull request" }
      : { allowed: write.allowed, reason: write.message },
    externallyShared,
  });
  if (options.audience.via === "response_url") {
    await tell(
      deps,
      options.audience,
      textMessage(`Working on it in *${env.name}*.`),
      `${options.tellKey}:started`,
    );
  }
  return { outcome: `${created ? "started" : "already started"} task ${task.id} in ${env.name}` };
}
