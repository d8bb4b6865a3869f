import ipaddr from 'ipaddr.js';

/**
 * The part of a client address that throttles count. IPv4 addresses count one by one (IPv4-mapped IPv6,
 * `::ffff:203.0.113.7`, is the same client); an IPv6 address counts as its /64, since one subscriber
 * usually holds a whole /64 (2^64 addresses) and could otherwise take a fresh address per attempt.
 * Anything unparsable counts as itself.
 */
export function throttledAddress(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const network = parsed.toNormalizedString().split(':').slice(0, 4).join(':');
  return ipaddr.IPv6.parse(`${network}::`).toString() + '/64';
}
