import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Which addresses the egress proxy treats as non-public (never reached through a wildcard, a preset or a name
// the allowlist does not spell out), and how it resolves names. The proxy checks the addresses a name resolves
// to and then connects to the address it checked, so a name cannot be re-pointed at the hub's own network
// between the check and the connection (DNS rebinding).

const ranges: [network: string, prefix: number, family: "ipv4" | "ipv6", name: string][] = [
  ["0.0.0.0", 8, "ipv4", "unspecified"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["100.64.0.0", 10, "ipv4", "shared (carrier-grade NAT)"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.0.0.0", 24, "ipv4", "reserved"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["198.18.0.0", 15, "ipv4", "reserved"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved"],
  ["::", 128, "ipv6", "unspecified"],
  ["::1", 128, "ipv6", "loopback"],
  ["fc00::", 7, "ipv6", "private"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["fec0::", 10, "ipv6", "site-local"],
  ["ff00::", 8, "ipv6", "multicast"],
];

// One list per range, so a refusal can say which kind of address it was. IPv4-mapped IPv6 addresses
// (::ffff:127.0.0.1) are checked against the IPv4 ranges by BlockList itself.
const lists = ranges.map(([network, prefix, family, name]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, name };
});

/** The kind of non-public address this is ("loopback", "private", ...), or null for a public one. */
export function nonPublicRange(address: string): string | null {
  const family = isIP(address);
  if (family === 0) return "invalid";
  const type = family === 4 ? "ipv4" : "ipv6";
  return lists.find(({ list }) => list.check(address, type))?.name ?? null;
}

/** A host's addresses, in the resolver's order; an address is its own answer. */
export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) => {
  if (isIP(host)) return [host];
  const answers = await lookup(host, { all: true, verbatim: true });
  return answers.map((a) => a.address);
};
