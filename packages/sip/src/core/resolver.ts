import { lookup, resolveSrv } from 'node:dns/promises';
import { isIP } from 'node:net';
import { SipStackError } from '../errors.js';
import type { Uri } from '../message/uri.js';
import type { TransportProtocol } from '../transport/transport.js';

/** Where to send a request: one transport, one address, maybe one connection. */
export interface Target {
  readonly protocol: TransportProtocol;
  /** An IP address. */
  readonly address: string;
  readonly port: number;
  /** Reuse this connection (a registered flow, RFC 5626). */
  readonly connectionId?: string | undefined;
  /** TLS name to verify (the URI's host when it is a name). */
  readonly serverName?: string | undefined;
}

export interface Dns {
  lookup(host: string): Promise<string[]>;
  srv(name: string): Promise<Array<{ name: string; port: number; priority: number; weight: number }>>;
}

export const systemDns: Dns = {
  async lookup(host) {
    const found = await lookup(host, { all: true });
    return found.map((a) => a.address);
  },
  srv: (name) => resolveSrv(name),
};

export function defaultPort(protocol: TransportProtocol): number {
  if (protocol === 'tls') return 5061;
  if (protocol === 'ws') return 80;
  if (protocol === 'wss') return 443;
  return 5060;
}

/** The transport a SIP URI asks for: its transport parameter, else TLS for sips, else UDP (RFC 3263 §4.1, simplified). */
export function uriProtocol(uri: Uri): TransportProtocol {
  if (uri.kind !== 'sip') return 'udp';
  const param = uri.params.get('transport')?.toLowerCase();
  if (uri.scheme === 'sips') return param === 'ws' || param === 'wss' ? 'wss' : 'tls';
  if (param === 'tcp' || param === 'tls' || param === 'ws' || param === 'wss') return param;
  return 'udp';
}

/**
 * Resolves a SIP URI to targets (RFC 3263, without NAPTR): numeric hosts as
 * they are; names with a port by A/AAAA; names without a port by SRV
 * (`_sip._udp`, `_sip._tcp`, `_sips._tcp`) in priority order, falling back to
 * A/AAAA on the default port. maddr, when present, replaces the host.
 */
export async function resolveUri(uri: Uri, dns: Dns = systemDns): Promise<Target[]> {
  if (uri.kind !== 'sip') throw new SipStackError('no-route', `cannot route to a ${uri.scheme}: URI`);
  const protocol = uriProtocol(uri);
  const maddr = uri.params.get('maddr');
  const host = maddr ?? uri.host;
  const serverName = isIP(host) ? undefined : host;
  if (isIP(host)) return [{ protocol, address: host, port: uri.port ?? defaultPort(protocol), serverName }];
  try {
    if (uri.port === undefined && !maddr) {
      const service =
        protocol === 'tls'
          ? '_sips._tcp'
          : protocol === 'tcp'
            ? '_sip._tcp'
            : protocol === 'udp'
              ? '_sip._udp'
              : undefined;
      const records = service ? await dns.srv(`${service}.${host}`).catch(() => []) : [];
      records.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
      const targets: Target[] = [];
      for (const record of records.slice(0, 8)) {
        const addresses = await dns.lookup(record.name).catch(() => []);
        for (const address of addresses) targets.push({ protocol, address, port: record.port, serverName });
      }
      if (targets.length > 0) return targets;
    }
    const addresses = await dns.lookup(host);
    return addresses.map((address) => ({
      protocol,
      address,
      port: uri.port ?? defaultPort(protocol),
      serverName,
    }));
  } catch (error) {
    throw new SipStackError('resolve-failed', `cannot resolve ${host}`, { cause: error });
  }
}
