import { isIPv4, isIPv6 } from 'node:net';

/**
 * 4, 6 or 0 like `net.isIP`, without running the long IPv6 pattern over the
 * dotted addresses nearly every message carries.
 */
export function ipFamily(address: string): 4 | 6 | 0 {
  if (address.indexOf(':') === -1) return isIPv4(address) ? 4 : 0;
  return isIPv6(address) ? 6 : 0;
}
