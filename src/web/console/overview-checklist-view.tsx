import { type ConsoleContext, ConsoleForm } from "./kit";
import type { SetupStep } from "./overview-checklist";
import type { UnlinkedTenants } from "./overview-facts";

// How the overview shows the checklist and the tenants waiting to be linked. Status is said in words, not
// only by colour, so it reads the same on a phone, with a screen reader and in a text browser.

const STATUS_WORDS: Record<SetupStep["status"], string> = {
  done: "Done",
  todo: "To do",
  optional: "Optional",
};

export function SetupChecklist(props: { steps: SetupStep[] }) {
  const open = props.steps.filter((s) => s.status === "todo").length;
  return (
    <section aria-labelledby="setup">
      <h2 id="setup">Setup checklist</h2>
      <p class="muted">
        {open === 0 ? "Every step is done." : `${open} step${open === 1 ? "" : "s"} to do.`}
      </p>
      <ul class="checklist">
        {props.steps.map((step) => (
          <li id={`step-${step.id}`}>
            <span class="status">{STATUS_WORDS[step.status]}</span> <strong>{step.title}</strong>
            <br />
            <span class="muted">{step.detail}</span>
            {step.fix && step.status !== "done" ? (
              <> {step.fix.href ? <a href={step.fix.href}>{step.fix.label}</a> : <em>{step.fix.label}</em>}</>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Tenants the hub has seen that no workspace owns; owners link them here with one click. */
export function UnlinkedList(props: { c: ConsoleContext; unlinked: UnlinkedTenants; canLink: boolean }) {
  const { githubInstallations, linearOrganizations } = props.unlinked;
  const items = [
    ...githubInstallations.map((i) => ({
      value: `github_installation:${i.id}`,
      label: `GitHub installation ${i.id} (${i.account})`,
    })),
    ...linearOrganizations.map((o) => ({
      value: `linear_org:${o.id}`,
      label: `Linear organization ${o.name ? `${o.name} (${o.id})` : o.id}`,
    })),
  ];
  return (
    <section id="unlinked" aria-labelledby="unlinked-title">
      <h2 id="unlinked-title">Seen but not linked</h2>
      {items.length === 0 ? (
        <p class="muted">
          No GitHub installation or Linear organization is waiting. Installing the GitHub App or sending a
          first Linear event makes one appear here.
        </p>
      ) : (
        <>
          <p>
            Events from these are ignored until they belong to a workspace.
            {props.canLink ? "" : " A workspace owner can link them."}
          </p>
          <ul class="checklist">
            {items.map((item) => (
              <li class="row">
                <span>{item.label}</span>
                {props.canLink ? (
                  <ConsoleForm c={props.c} action="/" class="row">
                    <input type="hidden" name="link" value={item.value} />
                    <button class="button primary" type="submit">
                      Link to this workspace
                    </button>
                  </ConsoleForm>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
