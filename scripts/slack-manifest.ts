import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { slackManifestYaml } from "../src/surfaces/slack/manifest";

/**
 * `npm run slack:manifest [-- <file>]`: the Slack app manifest for the hub at PUBLIC_URL (Slack needs an https
 * URL it can reach), printed on stdout, or written to <file>. Paste it at https://api.slack.com/apps →
 * "Create New App" → "From a manifest". Messages go to stderr, so stdout is the manifest alone.
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
const yaml = slackManifestYaml(publicUrl);
const [target] = process.argv.slice(2);
if (target) {
  // npm runs scripts from the package root, so `npm run slack:manifest -- slack/manifest.yaml` lands there.
  const out = resolve(target);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, yaml);
  console.error(`Wrote ${out} for ${publicUrl}`);
} else {
  process.stdout.write(yaml);
}
