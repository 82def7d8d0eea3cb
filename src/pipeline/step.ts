import type { InboxRow } from "../db/schema/inbox";
import type { Deps } from "../deps";
import type { PipelineStep, StepResult } from "../inbox/processor";
import type { GitHubEvent, InboundEvent, LinearEvent, SlackEvent } from "../ingress/events";

export type SurfaceHandler<E extends InboundEvent> = (
  deps: Deps,
  event: E,
  row: InboxRow,
) => Promise<StepResult>;

export interface SurfaceHandlers {
  github?: SurfaceHandler<GitHubEvent>;
  slack?: SurfaceHandler<SlackEvent>;
  linear?: SurfaceHandler<LinearEvent>;
}

/**
 * The processor's step: hands each normalized event to its platform's surface handler (which resolves the
 * workspace and member, asks the access module, and starts tasks or replies). A platform without a handler
 * only has its events recorded.
 */
export function createPipelineStep(handlers: SurfaceHandlers): PipelineStep {
  return async (deps, event, row) => {
    switch (event.platform) {
      case "github":
        return handlers.github ? handlers.github(deps, event, row) : recorded(event);
      case "slack":
        return handlers.slack ? handlers.slack(deps, event, row) : recorded(event);
      case "linear":
        return handlers.linear ? handlers.linear(deps, event, row) : recorded(event);
    }
  };
}

function recorded(event: InboundEvent): StepResult {
  return { outcome: `recorded ${event.platform} ${event.kind}` };
}
