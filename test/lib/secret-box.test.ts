import { describe, expect, it } from "vitest";
import { githubAppCredentials } from "../../src/db/schema/github";
import { linearInstallations } from "../../src/db/schema/linear";
import { slackInstallations } from "../../src/db/schema/slack";
import { bindingOf, createSecretBox, SealedValueError } from "../../src/lib/secret-box";
import { sealV1 } from "../helpers/sealed-v1";

const key = Buffer.alloc(32, 9).toString("base64");
const box = createSecretBox(key);
const teamOne = { column: slackInstallations.botToken, row: "team:T1" } as const;

describe("secret box", () => {
  it("binds a sealed value to its table, column and row", async () => {
    expect(bindingOf(teamOne)).toBe("slack_installations:bot_token:team:T1");
    const sealed = await box.seal("xoxb-one", teamOne);
    expect(sealed).toMatch(/^v2\.[^.]+\.[^.]+$/);
    expect(sealed).not.toContain("xoxb");
    expect(await box.open(sealed, teamOne)).toBe("xoxb-one");
    expect(await createSecretBox(key).open(sealed, teamOne)).toBe("xoxb-one");
  });

  it("refuses a value copied to another row or column, with a message naming where it was read", async () => {
    const sealed = await box.seal("lin-access", { column: linearInstallations.accessToken, row: "org-a" });
    const elsewhere = [
      { column: linearInstallations.accessToken, row: "org-b" },
      { column: linearInstallations.refreshToken, row: "org-a" },
      { column: githubAppCredentials.webhookSecret, row: "org-a" },
    ] as const;
    for (const at of elsewhere) {
      const opening = box.open(sealed, at);
      await expect(opening).rejects.toBeInstanceOf(SealedValueError);
      await expect(opening).rejects.toThrow(`${bindingOf(at)} does not open`);
    }
    const otherKey = createSecretBox(Buffer.alloc(32, 8).toString("base64"));
    await expect(
      otherKey.open(sealed, { column: linearInstallations.accessToken, row: "org-a" }),
    ).rejects.toThrow(/another HUB_ENCRYPTION_KEY/);
    await expect(box.open("garbage", teamOne)).rejects.toBeInstanceOf(SealedValueError);
    await expect(box.seal("x", { ...teamOne, row: "" })).rejects.toThrow(/needs its row/);
  });

  it("opens an unbound v1 value only to re-seal it, never as a bound value", async () => {
    const legacy = await sealV1(key, "old-secret");
    expect(await box.openLegacy(legacy)).toBe("old-secret");
    await expect(box.open(legacy, teamOne)).rejects.toThrow(/unbound v1 form/);
    await expect(box.openLegacy(await box.seal("new", teamOne))).rejects.toBeInstanceOf(SealedValueError);
  });
});
