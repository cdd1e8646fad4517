/**
 * Which kind of network an IP address belongs to, for the URL policy of the
 * file actions. Private: not exported from `mod.ts`.
 *
 * @module
 */

/**
 * The kind of an address: only `public` ones are fetched by default.
 * `private` covers RFC 1918, CGNAT (100.64/10), unique local (fc00::/7) and
 * site-local (fec0::/10); `reserved` covers documentation, benchmarking,
 * broadcast, protocol assignments, unallocated IPv6 and anything that does
 * not parse.
 */
export type AddressKind =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "link-local"
  | "multicast"
  | "reserved";

/** An IPv4 range: the address as a 32-bit number, the prefix length, the kind. */
type Ipv4Range = readonly [base: number, prefix: number, kind: AddressKind];

/** The IPv4 special-purpose ranges (IANA registry) that are not globally reachable. */
const IPV4_RANGES: readonly Ipv4Range[] = [
  [ipv4(0, 0, 0, 0), 8, "unspecified"],
  [ipv4(10, 0, 0, 0), 8, "private"],
  [ipv4(100, 64, 0, 0), 10, "private"],
  [ipv4(127, 0, 0, 0), 8, "loopback"],
  [ipv4(169, 254, 0, 0), 16, "link-local"],
  [ipv4(172, 16, 0, 0), 12, "private"],
  [ipv4(192, 0, 0, 0), 24, "reserved"],
  [ipv4(192, 0, 2, 0), 24, "reserved"],
  [ipv4(192, 88, 99, 0), 24, "reserved"],
  [ipv4(192, 168, 0, 0), 16, "private"],
  [ipv4(198, 18, 0, 0), 15, "reserved"],
  [ipv4(198, 51, 100, 0), 24, "reserved"],
  [ipv4(203, 0, 113, 0), 24, "reserved"],
  [ipv4(224, 0, 0, 0), 4, "multicast"],
  [ipv4(240, 0, 0, 0), 4, "reserved"],
];

function ipv4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

/** `a.b.c.d` as a 32-bit number, or `undefined`. Only the canonical dotted quad is read. */
function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

function kindOfIpv4(value: number): AddressKind {
  for (const [base, prefix, kind] of IPV4_RANGES) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if (((value & mask) >>> 0) === base) return kind;
  }
  return "public";
}

/** The eight 16-bit groups of an IPv6 address, or `undefined`. Zone IDs are not accepted. */
function parseIpv6(text: string): number[] | undefined {
  let tail: number[] = [];
  let head = text;
  // An embedded IPv4 address in the last 32 bits: ::ffff:127.0.0.1
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined || lastColon < 1) return undefined;
    tail = [v4 >>> 16, v4 & 0xffff];
    head = text.slice(0, lastColon + 1);
    // "::1.2.3.4" leaves "::", "a::1.2.3.4" leaves "a::", "a:b:1.2.3.4" leaves "a:b:".
    if (!head.endsWith("::")) head = head.slice(0, -1);
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const readGroups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const groups: number[] = [];
    for (const group of part.split(":")) {
      if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  const left = readGroups(halves[0]!);
  const right = halves.length === 2 ? readGroups(halves[1]!) : [];
  if (left === undefined || right === undefined) return undefined;
  const given = left.length + right.length + tail.length;
  if (halves.length === 1) return given === 8 ? [...left, ...tail] : undefined;
  if (given > 7) return undefined;
  return [...left, ...new Array<number>(8 - given).fill(0), ...right, ...tail];
}

/** Whether the first `bits` bits of `groups` equal those of `prefix` (groups of 16 bits). */
function hasPrefix(groups: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i * 16 < bits; i++) {
    const width = Math.min(16, bits - i * 16);
    const mask = (0xffff << (16 - width)) & 0xffff;
    if (((groups[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function kindOfIpv6(g: readonly number[]): AddressKind {
  const embedded = (high: number, low: number) => kindOfIpv4(((high << 16) | low) >>> 0);
  if (g.every((x) => x === 0)) return "unspecified";
  if (hasPrefix(g, [0, 0, 0, 0, 0, 0, 0, 1], 128)) return "loopback";
  // IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96): the embedded IPv4 address decides.
  if (hasPrefix(g, [0, 0, 0, 0, 0, 0xffff], 96)) return embedded(g[6]!, g[7]!);
  if (hasPrefix(g, [0x64, 0xff9b], 96)) return embedded(g[6]!, g[7]!);
  // 6to4 (2002::/16) carries an IPv4 address in bits 16..48.
  if (hasPrefix(g, [0x2002], 16)) return embedded(g[1]!, g[2]!);
  if (hasPrefix(g, [0xfc00], 7)) return "private";
  if (hasPrefix(g, [0xfe80], 10)) return "link-local";
  if (hasPrefix(g, [0xfec0], 10)) return "private";
  if (hasPrefix(g, [0xff00], 8)) return "multicast";
  // Teredo, protocol assignments and documentation inside 2000::/3.
  if (hasPrefix(g, [0x2001, 0], 23) || hasPrefix(g, [0x2001, 0xdb8], 32)) return "reserved";
  if (hasPrefix(g, [0x3fff], 20)) return "reserved";
  // Only global unicast (2000::/3) is reachable; the rest (IPv4-compatible ::/96,
  // 64:ff9b:1::/48, 100::/64 …) is reserved or local.
  return hasPrefix(g, [0x2000], 3) ? "public" : "reserved";
}

/**
 * The kind of an IP address literal: IPv4 dotted quad, or IPv6 with or
 * without brackets (IPv4-mapped, NAT64 and 6to4 addresses are judged by the
 * IPv4 address they carry). Anything else is `reserved`.
 */
export function addressKind(address: string): AddressKind {
  const text = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return kindOfIpv4(v4);
  const v6 = text.includes(":") ? parseIpv6(text) : undefined;
  return v6 === undefined ? "reserved" : kindOfIpv6(v6);
}

/** Whether `host` (a URL hostname) is an IP literal rather than a name. */
export function isIpLiteral(host: string): boolean {
  return host.startsWith("[") || parseIpv4(host) !== undefined;
}
