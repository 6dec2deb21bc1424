import { createRequest, type SipStack } from '@telekommune/sip';
import type { Binding } from '../registrar/binding.js';
import type { LocationService } from '../registrar/location-service.js';
import { targetOf } from './flows.js';

export interface NatKeepaliveOptions {
  /** How often each NATed device is pinged; NAT mappings for UDP often expire after 30-60 s. */
  readonly interval_ms: number;
  /** Unanswered pings in a row after which the binding is dropped as dead. */
  readonly maxFailures: number;
  /** Pings in flight at once (a bound on the burst). */
  readonly maxInFlight: number;
}

export const defaultNatKeepalive: NatKeepaliveOptions = {
  interval_ms: 30_000,
  maxFailures: 3,
  maxInFlight: 200,
};

/**
 * Keeps the NAT mappings of devices behind NAT open (pbx.md §2): an OPTIONS
 * to the flow of every UDP binding marked NATed, at an interval, as
 * Kamailio's nathelper does; a device that stops answering loses its binding
 * so calls fail over to its unreachable forwarding at once. Stream flows need
 * no help: their connection carries them, and a closed one drops its bindings.
 */
export class NatKeepalive {
  private timer: NodeJS.Timeout | undefined;
  private readonly failures = new Map<string, number>();
  private inFlight = 0;

  constructor(
    private readonly stack: SipStack,
    private readonly location: LocationService,
    private readonly options: NatKeepaliveOptions = defaultNatKeepalive,
  ) {}

  start(): void {
    if (this.options.interval_ms <= 0) return;
    this.timer = setInterval(() => this.tick(), this.options.interval_ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Pings every NATed UDP binding once (bounded by maxInFlight). */
  tick(): void {
    for (const binding of this.location.list()) {
      if (binding.flow.transport !== 'udp' || !binding.flow.natted) continue;
      if (this.inFlight >= this.options.maxInFlight) return;
      this.ping(binding);
    }
  }

  private ping(binding: Binding): void {
    const key = `${binding.tenantId}\u0000${binding.aor}\u0000${binding.contact}`;
    let request: ReturnType<typeof createRequest>;
    try {
      request = createRequest({
        method: 'OPTIONS',
        uri: binding.contact,
        from: `sip:keepalive@${binding.flow.localAddress || '127.0.0.1'}`,
        to: binding.contact,
      });
    } catch {
      return; // a contact that is no SIP URI cannot be pinged; its registration expires as usual
    }
    this.inFlight++;
    this.stack
      .request(request, { target: targetOf(binding.flow) })
      .then((response) => {
        // Any answer from the device itself proves the mapping is open; a local 408/503 does not.
        const local = response.status === 408 || response.status === 503;
        if (!local) {
          this.failures.delete(key);
          return;
        }
        const count = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, count);
        if (count >= this.options.maxFailures) {
          this.failures.delete(key);
          this.location.drop(binding);
        }
      })
      .catch(() => {})
      .finally(() => {
        this.inFlight--;
      });
  }
}
