import {
  canDeleteEnvironment,
  canEditEnvironment,
  canSeeEnvironment,
  environmentAccess,
} from "../../../access/environments";
import { INTERNET_PRESET_NAMES } from "../../../access/internet-presets";
import type { Environment } from "../../../access/types";
import {
  type EnvironmentView,
  environmentCreateSchema,
  environmentPatchSchema,
  INTERNET_METHODS,
} from "../../../workspace/environments";
import type { Viewer } from "../viewer";
import { issuesRefusal, listField, type Refusal } from "./form-errors";

// The environment form as a person fills it in, and who may do what with an environment. The rules are the
// access module's own (access/environments.ts): everyone sees workspace environments and the private ones
// they created or collaborate on; creator and collaborators edit, the creator deletes; Codex Admins and
// owners manage every environment.

/** What the form holds, kept as typed so a refused form comes back as the person left it. */
export interface EnvironmentFormValues {
  name: string;
  description: string;
  repository: string;
  visibility: string;
  creatorId: string;
  /** Emails, one a line: the product's own way of naming collaborators. */
  collaborators: string;
  internet: string;
  /** `ask` or `code`; empty when the form did not send one (the environment's setting is then kept). */
  defaultMode: string;
  domains: string;
  /** Names of the presets (access/internet-presets.ts) added to the domains. */
  presets: string[];
  methods: string[];
}

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  name: "Name",
  description: "Description",
  repository: "Repository",
  visibility: "Visibility",
  creatorId: "Creator",
  collaboratorIds: "Collaborators",
  internet: "Internet access",
  defaultMode: "Default mode",
};

export const emptyValues = (creatorId: string): EnvironmentFormValues => ({
  name: "",
  description: "",
  repository: "",
  visibility: "workspace",
  creatorId,
  collaborators: "",
  internet: "off",
  defaultMode: "code",
  domains: "",
  presets: [],
  methods: ["GET", "HEAD"],
});

const toEnvironment = (env: EnvironmentView): Environment => env;

export function valuesOf(env: EnvironmentView, viewer: Viewer): EnvironmentFormValues {
  const emails = env.collaboratorIds.map((id) => viewer.snapshot.members.get(id)?.member.email ?? id);
  return {
    name: env.name,
    description: env.description,
    repository: env.repository,
    visibility: env.visibility,
    creatorId: env.creatorId,
    collaborators: emails.join("\n"),
    internet: env.internet.mode,
    defaultMode: env.defaultMode,
    domains: env.internet.mode === "allowlist" ? env.internet.domains.join("\n") : "",
    presets: env.internet.mode === "allowlist" ? (env.internet.presets ?? []) : [],
    methods: env.internet.mode === "allowlist" ? env.internet.methods : [],
  };
}

export function formValues(fields: Record<string, string>): EnvironmentFormValues {
  return {
    name: fields.name ?? "",
    description: fields.description ?? "",
    repository: fields.repository ?? "",
    visibility: fields.visibility ?? "workspace",
    creatorId: fields.creator ?? "",
    collaborators: fields.collaborators ?? "",
    internet: fields.internet ?? "off",
    defaultMode: fields.defaultMode ?? "",
    domains: fields.domains ?? "",
    presets: INTERNET_PRESET_NAMES.filter((name) => fields[`preset_${name}`] !== undefined),
    methods: INTERNET_METHODS.filter((m) => fields[`method_${m}`] !== undefined),
  };
}

type Parsed<T> = { ok: true; input: T } | { ok: false; refusal: Refusal };

/** Collaborator emails to member ids; an email nobody in the workspace has is named back. */
function collaboratorIds(values: EnvironmentFormValues, viewer: Viewer): Parsed<string[]> {
  const ids: string[] = [];
  for (const email of listField(values.collaborators)) {
    const entry = viewer.snapshot.byEmail.get(email.toLowerCase());
    if (!entry) {
      return {
        ok: false,
        refusal: { status: 400, message: `Collaborators: no member has the email ${email}.`, details: [] },
      };
    }
    ids.push(entry.member.id);
  }
  return { ok: true, input: ids };
}

/**
 * The body the admin API would have received. Internet access is only sent where the workspace allows agent
 * internet (the form does not offer it otherwise), so an existing setting is left as it is.
 */
function body(values: EnvironmentFormValues, viewer: Viewer, internetAllowed: boolean) {
  const ids = collaboratorIds(values, viewer);
  if (!ids.ok) return ids;
  const internet =
    values.internet === "allowlist"
      ? {
          mode: values.internet,
          domains: listField(values.domains),
          methods: values.methods,
          ...(values.presets.length > 0 ? { presets: values.presets } : {}),
        }
      : { mode: values.internet };
  return {
    ok: true as const,
    input: {
      name: values.name,
      description: values.description,
      repository: values.repository,
      visibility: values.visibility,
      collaboratorIds: ids.input,
      ...(values.defaultMode ? { defaultMode: values.defaultMode } : {}),
      ...(internetAllowed ? { internet } : {}),
    },
  };
}

export function createInput(values: EnvironmentFormValues, viewer: Viewer, internetAllowed: boolean) {
  const fields = body(values, viewer, internetAllowed);
  if (!fields.ok) return fields;
  const parsed = environmentCreateSchema.safeParse({ ...fields.input, creatorId: values.creatorId });
  return parsed.success
    ? { ok: true as const, input: parsed.data }
    : { ok: false as const, refusal: issuesRefusal(parsed.error, FIELD_LABELS) };
}

export function patchInput(values: EnvironmentFormValues, viewer: Viewer, internetAllowed: boolean) {
  const fields = body(values, viewer, internetAllowed);
  if (!fields.ok) return fields;
  const parsed = environmentPatchSchema.safeParse(fields.input);
  return parsed.success
    ? { ok: true as const, input: parsed.data }
    : { ok: false as const, refusal: issuesRefusal(parsed.error, FIELD_LABELS) };
}

const manager = (viewer: Viewer) => ({
  isOwner: viewer.level === "owner",
  isCodexAdmin: viewer.level !== "member",
});

/** Codex Admins and owners manage every environment, private ones included; members see what is visible. */
export function maySee(env: EnvironmentView, viewer: Viewer): boolean {
  if (viewer.level !== "member") return true;
  return canSeeEnvironment(environmentAccess(toEnvironment(env)), viewer.memberId ?? "");
}

export const mayEdit = (env: EnvironmentView, viewer: Viewer): boolean =>
  canEditEnvironment(environmentAccess(toEnvironment(env)), viewer.memberId ?? "", manager(viewer)).ok;

export const mayDelete = (env: EnvironmentView, viewer: Viewer): boolean =>
  canDeleteEnvironment(environmentAccess(toEnvironment(env)), viewer.memberId ?? "", manager(viewer)).ok;

/** Only Codex Admins and owners choose another creator; a member creates environments as themselves. */
export const choosesCreator = (viewer: Viewer): boolean => viewer.level !== "member";
