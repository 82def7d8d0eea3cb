import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { slackManifestYaml } from "../src/surfaces/slack/manifest";

/**
 * `npm run slack:manifest`: writes slack/manifest.yaml for the hub at PUBLIC_URL (Slack needs an https URL
 * it can reach). Paste the file at https://api.slack.com/apps → "Create New App" → "From a manifest".
 */
const publicUrl = process.env.PUBLIC_URL?.trim();
if (!publicUrl || !/^https?:\/\/\S+$/.test(publicUrl)) {
  console.error(
    "Set PUBLIC_URL to the hub's public https URL, e.g. PUBLIC_URL=https://codex-hub.example.com npm run slack:manifest",
  );
  process.exit(2);
}
if (!publicUrl.startsWith("https://")) {
  console.warn(`Note: Slack only delivers to https URLs; ${publicUrl} will not work outside a local test.`);
}
const out = resolve(dirname(fileURLToPath(import.meta.url)), "..", "slack", "manifest.yaml");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, slackManifestYaml(publicUrl));
console.log(`Wrote ${out} for ${publicUrl}`);
