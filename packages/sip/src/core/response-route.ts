import type { Via } from '../message/via.js';
import { ipFamily } from '../transport/ip-family.js';
import type { Flow } from '../transport/transport.js';
import { defaultPort, type Target } from './resolver.js';

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
