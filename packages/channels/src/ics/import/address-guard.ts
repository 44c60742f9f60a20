import { BlockList, isIP } from 'node:net';

/**
 * Addresses an outside ICS URL may not reach (SSRF): this host, private networks, link-local,
 * carrier-grade NAT, multicast and reserved ranges (RFC 6890's special-purpose registry), with
 * IPv4-mapped IPv6 judged as the IPv4 address it maps.
 */
const forbidden = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv4');
}
// Prefixes that embed an IPv4 address (IPv4-compatible, IPv4-translated, NAT64 well-known and
// local-use, Teredo, 6to4) are refused whole: a translator or relay would deliver to the IPv4
// address inside, which may be private.
for (const [network, prefix] of [
  ['::', 96], // the unspecified address and IPv4-compatible addresses (RFC 4291 §2.5.5.1)
  ['::1', 128],
  ['::ffff:0:0:0', 96], // IPv4-translated (RFC 2765)
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation (RFC 8215)
  ['100::', 64],
  ['2001::', 32], // Teredo (RFC 4380)
  ['2001:db8::', 32],
  ['2002::', 16], // 6to4 (RFC 3056)
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10], // site-local, deprecated but still routed on some networks (RFC 3879)
  ['ff00::', 8],
] as const) {
  forbidden.addSubnet(network, prefix, 'ipv6');
}

/** Cloud metadata services: never reachable, whatever the flags (they hand out credentials). */
const metadata = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:xxxx:xxxx) stands for. */
function unmapped(address: string): string {
  const lower = address.toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1]!;
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (!hex) return address;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

export function isLoopbackAddress(address: string): boolean {
  const plain = unmapped(address);
  return loopback.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * What kind of address `address` is when it may not be fetched ("a loopback address"), or null
 * when it may. `allowLoopback` is the explicit development/test flag: it opens this host only,
 * never private networks or metadata services.
 */
export function refusedKindOf(address: string, options: { allowLoopback: boolean }): string | null {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return 'not an IP address';
  if (metadata.has(plain.toLowerCase())) return 'a cloud metadata address';
  if (isLoopbackAddress(plain)) return options.allowLoopback ? null : 'a loopback address';
  if (forbidden.check(plain, family === 6 ? 'ipv6' : 'ipv4')) return 'a private, link-local or reserved address';
  return null;
}

/** Why `address` (an IP literal the caller wrote) may not be fetched, naming it, or null when it may. */
export function refusalOf(address: string, options: { allowLoopback: boolean }): string | null {
  const kind = refusedKindOf(address, options);
  if (!kind) return null;
  const plain = unmapped(address);
  return isIP(plain) === 0 ? `"${address.slice(0, 60)}" is ${kind}` : `${plain} is ${kind}`;
}
