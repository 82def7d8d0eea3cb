import { AppError } from "../../../errors";
import { type AppView, appsService } from "../../../workspace/apps";
import { listGroups } from "../../../workspace/groups";
import { listMembers } from "../../../workspace/members";
import { type PluginView, pluginsService } from "../../../workspace/plugins";
import { listRoles } from "../../../workspace/roles";
import {
  type ConsoleApp,
  type ConsoleContext,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
} from "../kit";
import { AppDeleteForm, AppForm, AppTable, CreateAppForm, KIND_LABELS } from "./apps-forms";
import { appChange, pluginChange, pluginInput } from "./apps-input";
import { needsSetup, PluginDeleteForm, PluginForm, PluginTable } from "./apps-plugins";
import { RefusalNotice } from "./form-errors";
import { applyChange, Link, type Refusal, textField, UNCHANGED, Unchanged } from "./owner-forms";

// Apps and plugins. Every change goes through the services behind /api/v1/workspaces/{id}/apps and
// /plugins (src/workspace/apps.ts, plugins.ts): the same checks that an audience or a plugin only names the
// workspace's own members, groups, roles and apps, and the same audit records.

const PATH = "/apps";

async function workspaceData(c: ConsoleContext) {
  const deps = c.var.deps;
  const ws = c.var.viewer.workspaceId;
  const [apps, plugins, groups, roles, members] = await Promise.all([
    appsService.list(deps, ws),
    pluginsService.list(deps, ws),
    listGroups(deps, ws),
    listRoles(deps, ws),
    listMembers(deps, ws),
  ]);
  return { apps, plugins, groups, roles, members };
}

async function listView(
  c: ConsoleContext,
  kept: { refusal?: Refusal; appName?: string; pluginName?: string } = {},
) {
  const { apps, plugins, groups, roles } = await workspaceData(c);
  return consolePage(
    c,
    {
      title: "Apps and plugins",
      path: PATH,
      children: (
        <>
          <h1>Apps and plugins</h1>
          <Notices c={c} />
          <RefusalNotice refusal={kept.refusal} />
          <p>
            Apps connect Codex to Slack, GitHub, Linear and your own tools. An app that is disabled, still a
            draft, or not open to a member allows no action through it, whatever else the member may do; the
            first app of each kind carries that platform's events. Approving an app never overrides
            permissions in the connected system.
          </p>
          <h2 id="apps">Apps</h2>
          <AppTable c={c} apps={apps} groups={groups} roles={roles} />
          <h3>Add a custom app</h3>
          <CreateAppForm c={c} name={kept.appName} />
          <h2 id="plugins">Plugins</h2>
          <PluginTable c={c} plugins={plugins} apps={apps} roles={roles} />
          <details open={kept.pluginName !== undefined}>
            <summary>Add a plugin</summary>
            <PluginForm c={c} apps={apps} roles={roles} name={kept.pluginName} />
          </details>
        </>
      ),
    },
    kept.refusal?.status ?? 200,
  );
}

function notFound(c: ConsoleContext, what: string) {
  return consolePage(
    c,
    {
      title: `No such ${what}`,
      path: PATH,
      children: (
        <>
          <h1>No such {what}</h1>
          <p>
            This workspace has no such {what}.{" "}
            <Link c={c} href={PATH}>
              Apps and plugins
            </Link>
          </p>
        </>
      ),
    },
    404,
  );
}

/** Runs `load`, or answers the page for a missing item when the service says there is none. */
async function orNotFound<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}

async function appView(c: ConsoleContext, appId: string, refusal?: Refusal) {
  const data = await workspaceData(c);
  const app = data.apps.find((a) => a.id === appId);
  if (!app) return notFound(c, "app");
  const usedBy = data.plugins.filter(
    (p) => p.requiredAppIds.includes(app.id) || p.optionalAppIds.includes(app.id),
  );
  return consolePage(
    c,
    {
      title: app.name,
      path: PATH,
      children: (
        <>
          <p>
            <Link c={c} href={PATH}>
              Apps and plugins
            </Link>
          </p>
          <h1>{app.name}</h1>
          <p class="muted">{KIND_LABELS[app.kind]}</p>
          <Notices c={c} />
          <RefusalNotice refusal={refusal} />
          <Unchanged c={c} />
          <AppForm c={c} app={app} groups={data.groups} roles={data.roles} members={data.members} />
          {usedBy.length ? (
            <p class="help">
              Plugins that use it inherit these settings: {usedBy.map((p) => p.name).join(", ")}.
            </p>
          ) : null}
          {app.kind === "custom" ? (
            <>
              <h2>Remove</h2>
              <AppDeleteForm c={c} app={app} />
            </>
          ) : null}
        </>
      ),
    },
    refusal?.status ?? 200,
  );
}

async function pluginView(c: ConsoleContext, pluginId: string, refusal?: Refusal) {
  const data = await workspaceData(c);
  const plugin = data.plugins.find((p) => p.id === pluginId);
  if (!plugin) return notFound(c, "plugin");
  const setup = needsSetup(plugin, data.apps);
  return consolePage(
    c,
    {
      title: plugin.name,
      path: PATH,
      children: (
        <>
          <p>
            <Link c={c} href={`${PATH}#plugins`}>
              Apps and plugins
            </Link>
          </p>
          <h1>{plugin.name}</h1>
          <Notices c={c} />
          <RefusalNotice refusal={refusal} />
          <Unchanged c={c} />
          {setup.length ? (
            <p class="notice warn" role="status">
              Needs setup before members can use it: {setup.join(", ")}.
            </p>
          ) : null}
          <PluginForm c={c} plugin={plugin} apps={data.apps} roles={data.roles} />
          <h2>Remove</h2>
          <PluginDeleteForm c={c} plugin={plugin} />
        </>
      ),
    },
    refusal?.status ?? 200,
  );
}

/** Apps and plugins. */
export function appsPage(app: ConsoleApp) {
  const ws = (c: ConsoleContext) => c.var.viewer.workspaceId;
  const actor = (c: ConsoleContext) => c.var.viewer.actor;
  const guard = changeGuard("owner", PATH);

  app.get(PATH, needs("owner", PATH), (c) => listView(c));
  app.get(`${PATH}/app/:appId`, needs("owner", PATH), (c) => appView(c, c.req.param("appId")));
  app.get(`${PATH}/plugin/:pluginId`, needs("owner", PATH), (c) => pluginView(c, c.req.param("pluginId")));

  app.post(`${PATH}/app`, ...guard, async (c) => {
    const fields = await formFields(c);
    return applyChange(
      c,
      (created: AppView) => `${PATH}/app/${created.id}`,
      () =>
        appsService.create(
          c.var.deps,
          ws(c),
          {
            kind: "custom",
            name: textField(fields, "name", "Name"),
            // As the API creates apps: least privileged, a draft an owner publishes deliberately.
            enabled: true,
            status: "draft",
            access: { type: "all" },
            mode: "read_only",
            confirmWrites: false,
          },
          actor(c),
        ),
      (refusal) => listView(c, { refusal, appName: fields.name }),
    );
  });

  app.post(`${PATH}/app/:appId`, ...guard, async (c) => {
    const appId = c.req.param("appId");
    const fields = await formFields(c);
    const before = await orNotFound(() => appsService.get(c.var.deps, ws(c), appId));
    if (!before) return notFound(c, "app");
    const { members } = await workspaceData(c);
    return applyChange(
      c,
      `${PATH}/app/${appId}`,
      async () => {
        const patch = appChange(before, fields, members);
        if (Object.keys(patch).length === 0) return UNCHANGED;
        return appsService.update(c.var.deps, ws(c), appId, patch, actor(c));
      },
      (refusal) => appView(c, appId, refusal),
    );
  });

  app.post(`${PATH}/app/:appId/delete`, ...guard, async (c) => {
    const appId = c.req.param("appId");
    return applyChange(
      c,
      `${PATH}#apps`,
      async () => {
        const target = await appsService.get(c.var.deps, ws(c), appId);
        if (target.kind !== "custom") {
          throw new AppError(
            "conflict",
            `${target.name} is an integration: disable it rather than remove it.`,
          );
        }
        await appsService.remove(c.var.deps, ws(c), appId, actor(c));
      },
      (refusal) => appView(c, appId, refusal),
    );
  });

  app.post(`${PATH}/plugin`, ...guard, async (c) => {
    const fields = await formFields(c);
    const { roles } = await workspaceData(c);
    return applyChange(
      c,
      (created: PluginView) => `${PATH}/plugin/${created.id}`,
      () =>
        pluginsService.create(
          c.var.deps,
          ws(c),
          pluginInput(
            fields,
            roles.map((r) => r.id),
          ),
          actor(c),
        ),
      (refusal) => listView(c, { refusal, pluginName: fields.name ?? "" }),
    );
  });

  app.post(`${PATH}/plugin/:pluginId`, ...guard, async (c) => {
    const pluginId = c.req.param("pluginId");
    const fields = await formFields(c);
    const before = await orNotFound(() => pluginsService.get(c.var.deps, ws(c), pluginId));
    if (!before) return notFound(c, "plugin");
    const { roles } = await workspaceData(c);
    return applyChange(
      c,
      `${PATH}/plugin/${pluginId}`,
      async () => {
        const patch = pluginChange(
          before,
          fields,
          roles.map((r) => r.id),
        );
        if (Object.keys(patch).length === 0) return UNCHANGED;
        return pluginsService.update(c.var.deps, ws(c), pluginId, patch, actor(c));
      },
      (refusal) => pluginView(c, pluginId, refusal),
    );
  });

  app.post(`${PATH}/plugin/:pluginId/delete`, ...guard, async (c) => {
    const pluginId = c.req.param("pluginId");
    return applyChange(
      c,
      `${PATH}#plugins`,
      () => pluginsService.remove(c.var.deps, ws(c), pluginId, actor(c)),
      (refusal) => pluginView(c, pluginId, refusal),
    );
  });
}
