import {
  createRequest,
  DigestClient,
  generateCallId,
  generateTag,
  nameAddr,
  type SipRequest,
  type SipResponse,
  type SipUri,
  sipUri,
  type Target,
  type TransportProtocol,
} from '@telekommune/sip';
import type { CarrierConfig } from '../../carriers/carrier-config.js';
import type { ServiceLogger } from '../pbx-sip-service.js';
import { type CarrierResolver, registrarUri } from './carrier-address.js';
import { canMove, type RegistrationState, type RegistrationStatus } from './registration-state.js';

/** The part of the SIP stack a registration uses. */
export interface RegistrationTransport {
  request(request: SipRequest, options?: { target?: Target }): Promise<SipResponse>;
  contactUri(protocol?: TransportProtocol, user?: string): SipUri;
}

/** Limits of outbound registration (STYLE.md 14). */
export interface RegistrationLimits {
  /** First retry after a failure; doubles per failure in a row. */
  readonly retryMin_ms: number;
  /** Longest wait between retries. */
  readonly retryMax_ms: number;
  /** Refresh this long before the binding expires (half the lifetime for short ones). */
  readonly refreshMargin_s: number;
}

export const defaultRegistrationLimits: RegistrationLimits = {
  retryMin_ms: 5_000,
  retryMax_ms: 300_000,
  refreshMargin_s: 60,
};

type RegisterCarrier = CarrierConfig & { readonly auth: { readonly mode: 'register' } };

export function isRegistering(carrier: CarrierConfig): carrier is RegisterCarrier {
  return carrier.enabled && carrier.auth.mode === 'register';
}

/**
 * One outbound registration: the PBX registers to a carrier with digest
 * credentials (RFC 3261 §10.2, §22.2) and keeps the binding alive: it
 * refreshes before expiry, follows 423 Min-Expires, retries failures with
 * exponential backoff, and unregisters (Expires: 0) when stopped. One
 * Call-ID with a rising CSeq for its whole life (§10.2.4).
 */
export class CarrierRegistration {
  private state: RegistrationState = 'registering';
  private since_ms: number;
  private lastStatus: number | undefined;
  private reason: string | undefined;
  private expires_ms: number | undefined;
  private next_ms: number | undefined;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly callId = generateCallId();
  private readonly fromTag = generateTag();
  private cseq = 0;
  private expiry_s: number;
  private readonly digest: DigestClient;
  private inFlight: Promise<void> | undefined;

  constructor(
    readonly carrier: RegisterCarrier,
    private readonly deps: {
      readonly transport: () => RegistrationTransport;
      readonly resolver: CarrierResolver;
      readonly logger: ServiceLogger;
      readonly limits: RegistrationLimits;
      readonly now: () => number;
    },
  ) {
    this.since_ms = deps.now();
    this.expiry_s = carrier.auth.expiry_s;
    this.digest = new DigestClient({ username: carrier.auth.username, password: carrier.auth.password });
  }

  start(): void {
    this.schedule(0);
  }

  status(): RegistrationStatus {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    return {
      carrierId: this.carrier.id,
      state: this.state,
      since: new Date(this.since_ms).toISOString(),
      lastStatus: this.lastStatus,
      reason: this.reason,
      expiresAt: this.state === 'registered' ? iso(this.expires_ms) : undefined,
      nextAttemptAt: this.state === 'stopped' ? undefined : iso(this.next_ms),
      failures: this.failures,
    };
  }

  /** Stops refreshing; removes the binding at the registrar if there is one (best effort). */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasRegistered = this.state === 'registered';
    clearTimeout(this.timer);
    this.timer = undefined;
    this.move('stopped');
    await this.inFlight?.catch(() => {});
    if (wasRegistered) {
      await this.exchange(0).catch((error: unknown) =>
        this.deps.logger.debug({ carrier: this.carrier.id, err: error }, 'unregister failed'),
      );
    }
  }

  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private move(next: RegistrationState): void {
    if (next === this.state) return;
    if (!canMove(this.state, next)) return;
    const previous = this.state;
    this.state = next;
    this.since_ms = this.deps.now();
    const detail = { carrier: this.carrier.id, from: previous, to: next, status: this.lastStatus };
    if (next === 'failed')
      this.deps.logger.warn({ ...detail, reason: this.reason }, 'carrier registration failed');
    else this.deps.logger.info(detail, `carrier registration ${next}`);
  }

  private schedule(delay_ms: number): void {
    if (this.state === 'stopped') return;
    clearTimeout(this.timer);
    this.next_ms = this.deps.now() + delay_ms;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.register().finally(() => {
        this.inFlight = undefined;
      });
    }, delay_ms);
    this.timer.unref();
  }

  private async register(): Promise<void> {
    if (this.state === 'stopped') return;
    if (this.state === 'failed') this.move('registering');
    let outcome: { status: number; reason: string; granted_s?: number; minExpires_s?: number };
    try {
      outcome = await this.exchange(this.expiry_s);
    } catch (error) {
      outcome = { status: 503, reason: error instanceof Error ? error.message : String(error) };
    }
    if (this.isStopped()) return;
    this.lastStatus = outcome.status;
    if (outcome.status >= 200 && outcome.status < 300) {
      const granted_s = outcome.granted_s ?? this.expiry_s;
      this.failures = 0;
      this.reason = undefined;
      this.expires_ms = this.deps.now() + granted_s * 1000;
      this.move('registered');
      const margin = this.deps.limits.refreshMargin_s;
      const refresh_s = granted_s > 2 * margin ? granted_s - margin : granted_s / 2;
      this.schedule(Math.max(1, refresh_s) * 1000);
      return;
    }
    if (
      outcome.status === 423 &&
      outcome.minExpires_s !== undefined &&
      outcome.minExpires_s > this.expiry_s
    ) {
      // RFC 3261 §10.2.8: ask again for at least Min-Expires.
      this.expiry_s = Math.min(outcome.minExpires_s, 86_400);
      this.schedule(0);
      return;
    }
    this.failures++;
    this.reason = outcome.reason;
    this.expires_ms = undefined;
    this.move('failed');
    const { retryMin_ms, retryMax_ms } = this.deps.limits;
    this.schedule(Math.min(retryMax_ms, retryMin_ms * 2 ** Math.min(this.failures - 1, 20)));
  }

  private build(expires_s: number, credentials: readonly [string, string][]): SipRequest {
    const auth = this.carrier.auth;
    const aor = sipUri({ user: auth.username, host: this.carrier.host });
    const contact = this.deps.transport().contactUri(this.carrier.transport, auth.username);
    return createRequest({
      method: 'REGISTER',
      uri: registrarUri(this.carrier),
      from: nameAddr({ uri: aor }),
      fromTag: this.fromTag,
      to: nameAddr({ uri: aor }),
      callId: this.callId,
      cseq: ++this.cseq,
      contact: nameAddr({ uri: contact }),
      headers: [['Expires', String(expires_s)], ['User-Agent', 'Telekommune'], ...credentials],
    });
  }

  /** One REGISTER, answering one digest challenge; the final status and what it granted. */
  private async exchange(
    expires_s: number,
  ): Promise<{ status: number; reason: string; granted_s?: number; minExpires_s?: number }> {
    const target = await this.deps.resolver.target(registrarUri(this.carrier));
    if (!target) return { status: 503, reason: 'the registrar does not resolve' };
    const transport = this.deps.transport();
    // Every REGISTER asks afresh: registrars differ on pre-emptive credentials, a challenge costs one round trip.
    let request = this.build(expires_s, []);
    let response = await transport.request(request, { target });
    if (response.status === 401 || response.status === 407) {
      request = this.build(expires_s, []);
      const credentials = this.digest.respond(response, request);
      if (credentials.length === 0) {
        return { status: response.status, reason: 'the registrar refused the credentials' };
      }
      for (const header of credentials) request.appendHeader(header.name, header.value);
      response = await transport.request(request, { target });
      if (response.status === 401 || response.status === 407) {
        return { status: response.status, reason: 'the registrar refused the credentials' };
      }
    }
    const status = response.status;
    if (status >= 200 && status < 300) {
      return { status, reason: response.reason, granted_s: grantedExpiry(response, request, expires_s) };
    }
    if (status === 423) {
      const min = Number(response.header('min-expires'));
      return {
        status,
        reason: response.reason,
        ...(Number.isInteger(min) && min > 0 ? { minExpires_s: min } : {}),
      };
    }
    return { status, reason: `${status} ${response.reason}` };
  }
}

/**
 * The lifetime the registrar granted (RFC 3261 §10.2.4): the expires
 * parameter of our Contact in the 200, else its Expires header, else what we
 * asked for. Never more than we asked, never under 1 s.
 */
function grantedExpiry(response: SipResponse, request: SipRequest, asked_s: number): number {
  let granted: number | undefined;
  try {
    const ours = request.contacts[0]?.uri;
    const contacts = response.contacts;
    const mine =
      contacts.find(
        (c) =>
          ours?.kind === 'sip' &&
          c.uri.kind === 'sip' &&
          c.uri.user === ours.user &&
          c.uri.host.toLowerCase() === ours.host.toLowerCase() &&
          (c.uri.port ?? 5060) === (ours.port ?? 5060),
      ) ?? (contacts.length === 1 ? contacts[0] : undefined);
    const param = mine?.params.get('expires');
    if (param !== undefined && param !== null && /^[0-9]{1,10}$/.test(param)) granted = Number(param);
    granted ??= response.expires;
  } catch {
    granted = undefined;
  }
  if (granted === undefined || !Number.isFinite(granted)) return asked_s;
  return Math.max(1, Math.min(granted, asked_s));
}
