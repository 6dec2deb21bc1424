import {
  createRequest,
  nameAddr,
  type SipRequest,
  type SipResponse,
  sipUri,
  type Target,
} from '@telekommune/sip';
import type { CarrierConfig } from '../../carriers/carrier-config.js';
import type { CarrierStatusBoard } from '../../carriers/carrier-status.js';
import type { ServiceLogger } from '../pbx-sip-service.js';
import { type CarrierResolver, carrierUri } from './carrier-address.js';
import type { RegistrationTransport } from './carrier-registration.js';

/** Limits of the health checks (STYLE.md 14). */
export interface HealthCheckLimits {
  /** Time between OPTIONS pings to each carrier. */
  readonly interval_ms: number;
  /** A ping without an answer within this has failed. */
  readonly timeout_ms: number;
  /** Failed pings in a row that take a carrier out of routing. */
  readonly failuresToDown: number;
}

export const defaultHealthCheckLimits: HealthCheckLimits = {
  interval_ms: 30_000,
  timeout_ms: 5_000,
  failuresToDown: 2,
};

/** Whether an answer to OPTIONS shows the carrier alive: anything but 408 and 5xx (which a dead hop also yields). */
export function answersAlive(status: number): boolean {
  return status !== 408 && status < 500;
}

/**
 * Health by SIP OPTIONS pings (RFC 3261 §11), as Kamailio's dispatcher and
 * Asterisk's qualify do: every carrier in turn, on an interval; after
 * `failuresToDown` failed pings in a row it leaves least-cost routing
 * (`board.setHealth(false)`), and the first answer brings it back.
 */
export class CarrierHealthChecker {
  private timer: NodeJS.Timeout | undefined;
  private readonly failures = new Map<string, number>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly deps: {
      readonly transport: () => RegistrationTransport;
      readonly resolver: CarrierResolver;
      readonly board: CarrierStatusBoard;
      readonly carriers: () => readonly CarrierConfig[];
      readonly logger: ServiceLogger;
      readonly limits: HealthCheckLimits;
    },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.checkAll(), this.deps.limits.interval_ms);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Pings every enabled carrier that has no ping outstanding; resolves when all answered or timed out. */
  async checkAll(): Promise<void> {
    const carriers = this.deps.carriers().filter((c) => c.enabled && !this.pending.has(c.id));
    await Promise.all(carriers.map((c) => this.check(c)));
  }

  /** One ping; updates the board. */
  async check(carrier: CarrierConfig): Promise<boolean> {
    this.pending.add(carrier.id);
    try {
      const outcome = await this.ping(carrier);
      const alive = outcome.status !== undefined && answersAlive(outcome.status);
      const { board, limits } = this.deps;
      if (alive) {
        this.failures.delete(carrier.id);
        board.setHealth(carrier.id, true, `OPTIONS answered ${outcome.status}`);
      } else {
        const failed = (this.failures.get(carrier.id) ?? 0) + 1;
        this.failures.set(carrier.id, failed);
        if (failed >= limits.failuresToDown) board.setHealth(carrier.id, false, outcome.reason);
      }
      return alive;
    } finally {
      this.pending.delete(carrier.id);
    }
  }

  private async ping(carrier: CarrierConfig): Promise<{ status?: number; reason: string }> {
    const uri = carrierUri(carrier);
    const target: Target | undefined = await this.deps.resolver.target(uri);
    if (!target) return { reason: `${carrier.host} does not resolve` };
    let request: SipRequest;
    try {
      const self = this.deps.transport().contactUri(carrier.transport);
      request = createRequest({
        method: 'OPTIONS',
        uri,
        from: nameAddr({ uri: sipUri({ user: 'telekommune', host: self.host, port: self.port }) }),
        to: nameAddr({ uri }),
        headers: [
          ['Accept', 'application/sdp'],
          ['User-Agent', 'Telekommune'],
        ],
      });
    } catch (error) {
      return { reason: error instanceof Error ? error.message : String(error) };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.deps.limits.timeout_ms);
    });
    try {
      const response: SipResponse | undefined = await Promise.race([
        this.deps.transport().request(request, { target }),
        timeout,
      ]);
      if (!response) return { reason: `no answer to OPTIONS within ${this.deps.limits.timeout_ms} ms` };
      return { status: response.status, reason: `OPTIONS answered ${response.status} ${response.reason}` };
    } finally {
      clearTimeout(timer);
    }
  }
}
