import { describe, expect, it } from "vitest";
import { decide } from "../../src/access/decide";
import { indexSnapshot } from "../../src/access/snapshot-index";
import type { AccessRequest, DecisionCode, WorkspaceSnapshot } from "../../src/access/types";
import { baseSnapshot, request } from "./fixture";

// Decision tables: each row a named situation, the request, and the code the hub must answer.
// Rows expecting ALLOWED must be allowed; every other row must be denied by exactly that code.

export interface Row {
  name: string;
  req: Partial<AccessRequest>;
  code: DecisionCode;
  setup?: (s: WorkspaceSnapshot) => void;
}

/** A request made by a member through the admin API (no app involved). */
export const viaApi = (memberId: string, extra: Partial<AccessRequest> = {}): Partial<AccessRequest> => ({
  actor: { memberId, platform: "api" },
  surface: "api",
  ...extra,
});

export function runTable(title: string, rows: Row[]): void {
  describe(title, () => {
    it.each(rows)("$name → $code", ({ req, code, setup }) => {
      const snapshot = baseSnapshot();
      setup?.(snapshot);
      const decision = decide(request(req), indexSnapshot(snapshot));
      expect(decision.code).toBe(code);
      expect(decision.allowed).toBe(code === "ALLOWED");
      expect(decision.message.length).toBeGreaterThan(10);
      // The first failure decides and ends the trace; an allowed decision has no failed step.
      const failures = decision.trace.filter((t) => t.outcome === "fail");
      expect(failures).toHaveLength(code === "ALLOWED" ? 0 : 1);
      if (code !== "ALLOWED") expect(decision.trace.at(-1)?.outcome).toBe("fail");
    });

    it("a plain snapshot decides exactly like its index", () => {
      for (const { req, setup } of rows) {
        const snapshot = baseSnapshot();
        setup?.(snapshot);
        expect(decide(request(req), snapshot)).toEqual(decide(request(req), indexSnapshot(snapshot)));
      }
    });
  });
}
