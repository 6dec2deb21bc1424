import { isIPv4, isIPv6 } from 'node:net';

/**
 * Whether an address cannot be a party's public address: RFC 1918 private,
 * RFC 6598 shared (CGNAT), link-local, unspecified, or IPv6 unique-local and
 * link-local. Phones behind NAT write such addresses into their SDP.
 */
export function isPrivateAddress(address: string): boolean {
  if (isIPv4(address)) {
    const [a = 0, b = 0] = address.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254)
    );
  }
  if (isIPv6(address)) {
    const lower = address.toLowerCase();
    return lower === '::' || /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
  }
  return false;
}
