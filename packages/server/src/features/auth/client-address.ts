/**
 * @module features/auth/client-address
 * The part of a client's IP address that budgets count by. IPv4 addresses are taken whole; an IPv6
 * client usually holds a whole /64 (one home or host), so counting by full address would give it
 * 2^64 budgets: IPv6 addresses count by their /64 prefix.
 */
import { isIPv6 } from 'node:net';

export function clientAddressKey(ip: string): string {
  // IPv4-mapped IPv6 (::ffff:192.0.2.1) is the IPv4 client it names.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, `::` expanded, zone id dropped. */
function expandIpv6(ip: string): string[] {
  const [address = ''] = ip.split('%');
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (…:192.0.2.1) is two groups; only the first four groups matter here.
  const missing = 8 - headGroups.length - tailGroups.length;
  const zeros = tail === undefined ? [] : Array.from({ length: Math.max(missing, 0) }, () => '0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) =>
    group.includes('.') ? group : (Number.parseInt(group, 16) || 0).toString(16),
  );
}
