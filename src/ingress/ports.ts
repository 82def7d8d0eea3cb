import type { Platform } from "./events";
import { githubPort } from "./github/port";
import type { IngressPort } from "./port";

/** The port that normalizes stored deliveries of each platform (the processor's side of ingress). */
export const normalizingPorts: Record<Platform, IngressPort> = {
  github: githubPort,
  slack: githubPort,
  linear: githubPort,
};
