/**
 * @module features/webhooks/target-network
 * Where webhook deliveries may go. Anyone who manages a project can point a webhook at any URL, and
 * the worker POSTs to it from inside the deployment's network (and records the start of a failing
 * answer): unchecked, that is a way to reach internal services and the cloud metadata endpoint
 * (server-side request forgery).
 *
 * - Link-local addresses (169.254.0.0/16 with the metadata endpoint, fe80::/10), unspecified,
 *   multicast and reserved ranges are refused always.
 * - Loopback and private networks (RFC 1918, CGNAT, unique-local IPv6, …) are refused unless the
 *   operator allows them (`CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`: a receiver inside the VPC,
 *   or on the developer's own machine).
 *
 * The check runs on the addresses a connection actually uses (a DNS lookup hook of the delivery
 * agent), so a name that resolves differently at delivery than when it was saved (DNS rebinding)
 * is still refused; URLs with a literal address are also refused when saved, with a clear error.
 */
import dns, { type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

export interface TargetNetworkPolicy {
  /** Deliver to loopback and private networks too (never to link-local or reserved ranges). */
  allowPrivateNetworks: boolean;
}

export const ALLOW_PRIVATE_VARIABLE = 'CLEAVE_WEBHOOK_ALLOW_PRIVATE_NETWORKS';

interface Range {
  readonly subnet: string;
  readonly prefix: number;
  readonly type: 'ipv4' | 'ipv6';
  readonly why: string;
}

const ALWAYS_REFUSED: readonly Range[] = [
  { subnet: '0.0.0.0', prefix: 8, type: 'ipv4', why: 'an unspecified ("this network") address' },
  {
    subnet: '169.254.0.0',
    prefix: 16,
    type: 'ipv4',
    why: 'a link-local address (cloud metadata lives here)',
  },
  { subnet: '192.0.0.0', prefix: 24, type: 'ipv4', why: 'an IETF protocol assignment' },
  { subnet: '224.0.0.0', prefix: 4, type: 'ipv4', why: 'a multicast address' },
  { subnet: '240.0.0.0', prefix: 4, type: 'ipv4', why: 'a reserved address' },
  { subnet: '::', prefix: 128, type: 'ipv6', why: 'the unspecified address' },
  { subnet: 'fe80::', prefix: 10, type: 'ipv6', why: 'a link-local address' },
  { subnet: 'ff00::', prefix: 8, type: 'ipv6', why: 'a multicast address' },
];

const PRIVATE: readonly Range[] = [
  { subnet: '127.0.0.0', prefix: 8, type: 'ipv4', why: 'a loopback address' },
  { subnet: '10.0.0.0', prefix: 8, type: 'ipv4', why: 'a private address' },
  { subnet: '172.16.0.0', prefix: 12, type: 'ipv4', why: 'a private address' },
  { subnet: '192.168.0.0', prefix: 16, type: 'ipv4', why: 'a private address' },
  { subnet: '100.64.0.0', prefix: 10, type: 'ipv4', why: 'a shared (carrier-grade NAT) address' },
  { subnet: '198.18.0.0', prefix: 15, type: 'ipv4', why: 'a benchmarking-network address' },
  { subnet: '::1', prefix: 128, type: 'ipv6', why: 'a loopback address' },
  { subnet: 'fc00::', prefix: 7, type: 'ipv6', why: 'a unique-local (private) address' },
];

interface CompiledRange extends Range {
  readonly list: BlockList;
}

function compile(ranges: readonly Range[]): readonly CompiledRange[] {
  return ranges.map((range) => {
    const list = new BlockList();
    list.addSubnet(range.subnet, range.prefix, range.type);
    return { ...range, list };
  });
}

const alwaysRefused = compile(ALWAYS_REFUSED);
const privateNetworks = compile(PRIVATE);

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad included). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((group) => Number.parseInt(group, 16));
}

/**
 * IPv6 forms that reach an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, which URLs spell
 * `::ffff:xxxx:yyyy`, and NAT64 `64:ff9b::/96`) are judged as that IPv4 address.
 */
function unmapped(address: string): { address: string; type: 'ipv4' | 'ipv6' } | undefined {
  const family = isIP(address);
  if (family === 4) return { address, type: 'ipv4' };
  if (family !== 6) return undefined;
  const groups = ipv6Groups(address);
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  const mapped = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0xffff;
  const nat64 = g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0;
  if (!mapped && !nat64) return { address, type: 'ipv6' };
  return { address: [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join('.'), type: 'ipv4' };
}

function reasonIn(ranges: readonly CompiledRange[], ip: { address: string; type: 'ipv4' | 'ipv6' }) {
  return ranges.find((range) => range.type === ip.type && range.list.check(ip.address, ip.type))?.why;
}

/** Why a delivery must not connect to `address`, or undefined when it may. */
export function refusedAddress(address: string, policy: TargetNetworkPolicy): string | undefined {
  const ip = unmapped(address);
  if (!ip) return `${address} is not an IP address`;
  const always = reasonIn(alwaysRefused, ip);
  if (always) return `${address} is ${always}; webhooks are never delivered there`;
  if (policy.allowPrivateNetworks) return undefined;
  const inPrivate = reasonIn(privateNetworks, ip);
  return inPrivate
    ? `${address} is ${inPrivate}; set ${ALLOW_PRIVATE_VARIABLE}=true to deliver webhooks inside private networks`
    : undefined;
}

/** A URL host as an address: `[::1]` → `::1`; undefined for a name. */
function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

/**
 * Why a webhook URL is refused before any lookup: a literal address in a refused range, or a
 * `localhost` name while private networks are refused. Names are checked again at delivery.
 */
export function refusedUrl(url: string, policy: TargetNetworkPolicy): string | undefined {
  const { hostname } = new URL(url);
  const address = literalAddress(hostname);
  if (address) return refusedAddress(address, policy);
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (!policy.allowPrivateNetworks && (name === 'localhost' || name.endsWith('.localhost'))) {
    return `${hostname} is a loopback name; set ${ALLOW_PRIVATE_VARIABLE}=true to deliver webhooks inside private networks`;
  }
  return undefined;
}

/** Raised from the lookup hook; the delivery records its message. */
export class RefusedTargetError extends Error {
  override name = 'RefusedTargetError';
  readonly code = 'ERR_WEBHOOK_TARGET_REFUSED';
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * `dns.lookup` for the delivery agent's sockets that drops refused addresses, and fails when none
 * is left. Node asks for every address (`all: true`) when it races IPv4 and IPv6.
 */
export function guardedLookup(policy: TargetNetworkPolicy) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const refusals: string[] = [];
      const allowed = addresses.filter((entry) => {
        const refusal = refusedAddress(entry.address, policy);
        if (refusal) refusals.push(refusal);
        return refusal === undefined;
      });
      const first = allowed[0];
      if (!first) {
        callback(new RefusedTargetError(`${hostname} resolves to ${refusals[0] ?? 'no address'}`), []);
        return;
      }
      if (options.all) callback(null, allowed);
      else callback(null, first.address, first.family);
    });
  };
}

/** The HTTP agent webhook deliveries go through: every connection passes the policy. */
export function webhookAgent(policy: TargetNetworkPolicy): Agent {
  return new Agent({ connect: { lookup: guardedLookup(policy) } });
}
