import { generateKeyPairSync } from "node:crypto";

// The fakes never check the App's JWTs, so any well-formed key will do; one per test file, since generating an
// RSA key takes a noticeable moment.
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** Hub settings for a real GitHub App client that calls the GitHub fake at `apiUrl`. */
export function githubAppEnv(apiUrl: string) {
  return { GITHUB_APP_ID: "123", GITHUB_PRIVATE_KEY: privateKey, GITHUB_API_URL: apiUrl };
}
