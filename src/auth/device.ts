import Bowser from 'bowser';
import ipaddr from 'ipaddr.js';

/**
 * A device name people recognise, read from `User-Agent` with bowser (MIT; ua-parser-js 2 is AGPL):
 * "Firefox on Linux", "Safari on iOS (mobile)". Unknown clients (curl, scripts) are "Unknown browser" on
 * whatever is known, or "Unknown device". At most 100 characters.
 */
export function deviceName(userAgent: string | undefined): string {
  const parsed = Bowser.parse(userAgent?.trim() || ' ');
  const browser = parsed.browser.name || 'Unknown browser';
  const os = parsed.os.name;
  const kind = parsed.platform.type;
  if (!parsed.browser.name && !os) return 'Unknown device';
  const where = os ? ` on ${os}` : '';
  const mobile = kind === 'mobile' || kind === 'tablet' ? ` (${kind})` : '';
  return `${browser}${where}${mobile}`.slice(0, 100);
}

/**
 * The network a client address belongs to, as a new-device check compares it: the /24 of an IPv4
 * address (IPv4-mapped IPv6 included), the /48 of an IPv6 one; anything unparsable as itself.
 */
export function networkOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') {
    const [a, b, c] = parsed.toString().split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  const prefix = parsed.toNormalizedString().split(':').slice(0, 3).join(':');
  return `${ipaddr.IPv6.parse(`${prefix}::`).toString()}/48`;
}
