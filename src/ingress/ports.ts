import type { Platform } from "./events";
import { githubPort } from "./github/port";
import { linearPort } from "./linear/port";
import type { IngressPort } from "./port";
import { slackEventsPort } from "./slack/events-port";

/** The port that normalizes stored deliveries of each platform (the processor's side of ingress). */
export const normalizingPorts: Record<Platform, IngressPort> = {
  github: githubPort,
  // The three Slack ports share one normalizer that picks the shape from the stored event type.
  slack: slackEventsPort,
  linear: linearPort,
};
