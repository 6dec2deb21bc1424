import { isIP } from 'node:net';
import { resolveUri, type SipUri, sipUri, type Target } from '@telekommune/sip';
import type { CarrierConfig } from '../../carriers/carrier-config.js';

type Addressed = Pick<CarrierConfig, 'host' | 'port' | 'transport'>;

/** A SIP URI at the carrier (`sip:USER@host:port;transport=tcp`); no user for OPTIONS pings. */
export function carrierUri(carrier: Addressed, user?: string): SipUri {
  return sipUri({
    user,
    host: carrier.host,
    port: carrier.port,
    params: carrier.transport === 'udp' ? [] : [['transport', carrier.transport]],
  });
}

/** Where REGISTER goes: `auth.registrar` (`host` or `host:port`) when set, else the carrier's address. */
export function registrarUri(carrier: CarrierConfig): SipUri {
  const registrar = carrier.auth.mode === 'register' ? carrier.auth.registrar : undefined;
  if (registrar === undefined) return carrierUri(carrier);
  const [host = carrier.host, port] = registrar.split(':');
  return carrierUri({ host, port: port === undefined ? 5060 : Number(port), transport: carrier.transport });
}

/** IPv4-mapped IPv6 (`::ffff:192.0.2.1`) as the IPv4 address it is. */
export function plainAddress(address: string): string {
  return /^::ffff:([0-9.]+)$/i.exec(address)?.[1] ?? address;
}

interface Cached {
  readonly targets: readonly Target[];
  readonly expires_ms: number;
}

/**
 * Resolves carrier URIs to targets (RFC 3263 without NAPTR, via the SIP
 * stack's resolver), cached for `ttl_ms` so a call never waits on DNS more
 * than once a minute per carrier. Numeric hosts never touch DNS.
 */
export class CarrierResolver {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly resolve: (uri: SipUri) => Promise<Target[]> = (uri) => resolveUri(uri),
    private readonly ttl_ms = 60_000,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 4096,
  ) {}

  /** The first target for `uri`, or undefined when it does not resolve. */
  async target(uri: SipUri): Promise<Target | undefined> {
    return (await this.targets(uri))[0];
  }

  async targets(uri: SipUri): Promise<readonly Target[]> {
    const key = `${uri.host}|${uri.port ?? ''}|${uri.params.get('transport') ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && hit.expires_ms > this.now()) return hit.targets;
    let targets: Target[];
    try {
      targets = await this.resolve(uri);
    } catch {
      targets = [];
    }
    if (this.cache.size >= this.maxEntries) this.cache.clear();
    // A failed lookup is remembered briefly too, so a dead name does not stall every call.
    this.cache.set(key, {
      targets,
      expires_ms: this.now() + (targets.length > 0 ? this.ttl_ms : this.ttl_ms / 10),
    });
    return targets;
  }

  /** The addresses a URI resolved to last time (no lookup), for recognising where requests come from. */
  knownAddresses(uri: SipUri): readonly string[] {
    if (isIP(uri.host) !== 0) return [uri.host];
    const key = `${uri.host}|${uri.port ?? ''}|${uri.params.get('transport') ?? ''}`;
    return (this.cache.get(key)?.targets ?? []).map((t) => plainAddress(t.address));
  }
}
