/**
 * Which addresses a feed may be fetched from. Feed URLs come from operators and redirects come from
 * anyone, so a URL must not reach the bot's own host, its network or a cloud metadata service (SSRF).
 * Checked on the resolved address of every request, redirects included, so a DNS name pointing inside
 * is caught as well as a literal IP.
 */
import { BlockList, isIP } from 'node:net';

/** Loopback, private, shared, multicast and reserved ranges: allowed only with FEEDS_ALLOW_PRIVATE. */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('ff00::', 8, 'ipv6');

/**
 * Link-local, where cloud metadata services answer (169.254.169.254, fd00:ec2::254 is in fc00::/7):
 * never allowed, whatever the setting, because a credential leak there is worse than a missing feed.
 */
const ALWAYS = new BlockList();
ALWAYS.addSubnet('169.254.0.0', 16, 'ipv4');
ALWAYS.addSubnet('fe80::', 10, 'ipv6');
ALWAYS.addAddress('fd00:ec2::254', 'ipv6');

/** Why `address` may not be fetched from, or undefined when it may. */
export function blockedReason(address: string, allowPrivate: boolean): string | undefined {
  let ip = address.replace(/^\[|\]$/g, '');
  let family = isIP(ip);
  if (family === 0) return `"${address}" is not an IP address`;
  // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is checked as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped !== null) {
    ip = mapped[1]!;
    family = 4;
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (ALWAYS.check(ip, type)) return `${ip} is a link-local or cloud-metadata address, never fetched`;
  if (!allowPrivate && PRIVATE.check(ip, type))
    return `${ip} is a loopback or private address (set FEEDS_ALLOW_PRIVATE=true to allow it)`;
  return undefined;
}
