import type { SurfaceHandlers } from "../pipeline/step";

/**
 * Each platform's surface handler: what the hub does with a normalized event from Slack, GitHub or Linear
 * (resolve the workspace and member, check access, start a task or answer). One line per platform.
 */
export const surfaceHandlers: SurfaceHandlers = {};
