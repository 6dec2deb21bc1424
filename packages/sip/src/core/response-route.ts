import { isIPv4, isIPv6 } from 'node:net';
import type { Via } from '../message/via.js';
import type { Flow } from '../transport/transport.js';
import { defaultPort, type Target } from './resolver.js';

/**
 * 4, 6 or 0 like `net.isIP`, without running the long IPv6 pattern over the
 * dotted addresses nearly every message carries.
 */
export function ipFamily(address: string): 4 | 6 | 0 {
  if (address.indexOf(':') === -1) return isIPv4(address) ? 4 : 0;
  return isIPv6(address) ? 6 : 0;
}

/**
 * Where a response goes, RFC 3261 §18.2.2 with RFC 3581: over the request's
 * connection while it is open (stream transports), else to `received`
 * (always stamped on arrival when it differs from sent-by) and `rport` or the
 * sent-by port. Without a usable Via (a malformed request being refused),
 * straight back to the source.
 */
export function responseTarget(via: Via | undefined, flow: Flow): Target {
  if (!via) {
    return {
      protocol: flow.protocol,
      address: flow.remoteAddress,
      port: flow.remotePort,
      connectionId: flow.connectionId,
    };
  }
  const address = via.received ?? via.host;
  if (flow.connectionId !== undefined) {
    return {
      protocol: flow.protocol,
      address: ipFamily(address) !== 0 ? address : flow.remoteAddress,
      port: via.port ?? defaultPort(flow.protocol),
      connectionId: flow.connectionId,
    };
  }
  const port = typeof via.rport === 'number' ? via.rport : (via.port ?? defaultPort(flow.protocol));
  return { protocol: flow.protocol, address: ipFamily(address) !== 0 ? address : flow.remoteAddress, port };
}

/** Addresses a response must never be sent to (RFC 4475 §3.3.10 bcast): broadcast, multicast, unspecified. */
export function isUnicast(address: string): boolean {
  const family = ipFamily(address);
  if (family === 4) {
    const dot = address.indexOf('.');
    const a = Number(address.slice(0, dot));
    return address !== '255.255.255.255' && address !== '0.0.0.0' && !(a >= 224 && a <= 239);
  }
  if (family === 6) {
    const lower = address.toLowerCase();
    return !lower.startsWith('ff') && lower !== '::';
  }
  return false;
}
