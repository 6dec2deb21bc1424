import type { Flow, SipRequest, Uri } from '@telekommune/sip';
import type { CarrierConfig } from '../../carriers/carrier-config.js';
import type { TenantDirectory } from '../../directory/tenant-directory.js';
import { inboundCallerId } from '../../numbering/caller-id.js';
import type { DidMatch } from '../../numbering/did-directory.js';
import type { ServiceLogger } from '../pbx-sip-service.js';
import { plainAddress } from './carrier-address.js';
import type { CarrierInvite } from './carrier-invite.js';
import type { CarrierServices } from './carrier-services.js';
import type { TrunkCallBook } from './trunk-call-book.js';

/** The user part of a SIP URI, or the number of a tel: URI (RFC 3966). */
function userOf(uri: Uri): string | undefined {
  if (uri.kind === 'sip') return uri.user;
  if (uri.kind === 'tel') return uri.number;
  return undefined;
}

/** Reads a header that may be malformed; undefined rather than a throw (hostile input never crashes). */
function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Calls from carriers to DIDs (pbx.md §5): a request from a carrier's
 * address (its allow-list, or the address we register to) is not
 * digest-challenged; the DID in the Request-URI or else the To header, in
 * whatever form the carrier writes it, finds the tenant and destination.
 * The caller ID (P-Asserted-Identity, else From) is shown in international
 * format; `Privacy: id` hides it. A carrier's call to a number that is no
 * DID is refused: a carrier can never use the PBX as a relay.
 */
export class InboundCalls {
  constructor(
    private readonly deps: {
      readonly services: CarrierServices;
      readonly directory: () => TenantDirectory;
      readonly book: TrunkCallBook;
      readonly logger: ServiceLogger;
      /** A registering carrier that sends from this address, if any. */
      readonly registeredCarrierFor: (address: string) => CarrierConfig | undefined;
    },
  ) {}

  /** Which carrier a request comes from, by its source address. */
  carrierFor(address: string): CarrierConfig | undefined {
    const plain = plainAddress(address);
    return this.deps.services.sources().carrierFor(plain) ?? this.deps.registeredCarrierFor(plain);
  }

  /** The DID a carrier's INVITE is for: the Request-URI's user, else the To header's. */
  didOf(request: SipRequest, carrier: CarrierConfig): DidMatch | undefined {
    const dids = this.deps.services.dids();
    const candidates = [safely(() => userOf(request.uri)), safely(() => userOf(request.to.uri))];
    for (const text of candidates) {
      if (text === undefined || text === '') continue;
      const match = dids.lookup(text, carrier);
      if (match) return match;
    }
    return undefined;
  }

  invite(request: SipRequest, flow: Flow): CarrierInvite {
    const carrier = this.carrierFor(flow.remoteAddress);
    if (!carrier) return { kind: 'not-carrier' };
    const { services, logger } = this.deps;
    const match = this.didOf(request, carrier);
    const log = { carrier: carrier.id, source: flow.remoteAddress, callId: request.callId };
    if (!match) {
      // A phone of a tenant behind the carrier's address still authenticates as usual.
      const fromHost = safely(() => request.from.uri);
      if (fromHost?.kind === 'sip' && this.deps.directory().tenantByDomain(fromHost.host.toLowerCase())) {
        return { kind: 'not-carrier' };
      }
      logger.info({ ...log, uri: request.uriText }, 'carrier call to a number that is no DID: refused');
      return { kind: 'refuse', status: 404, reason: 'No Such Number' };
    }
    const tenant = this.deps.directory().tenant(match.tenantId);
    if (!tenant) return { kind: 'refuse', status: 404, reason: 'No Such Number' };
    if (!services.board.tryAcquire(carrier.id, carrier.maxCalls)) {
      logger.warn(log, 'carrier call refused: the trunk is at its maxCalls');
      return { kind: 'refuse', status: 503, reason: 'Trunk Busy' };
    }
    const caller = this.callerOf(request, carrier);
    let released = false;
    return {
      kind: 'call',
      tenant,
      caller,
      dialled: match.e164,
      destination: match.destination,
      started: (call) => {
        this.deps.book.of(call.id).inbound = {
          carrierId: carrier.id,
          did: match.e164,
          release: () => {
            if (released) return;
            released = true;
            services.board.release(carrier.id);
          },
        };
        logger.debug({ ...log, call: call.id, did: match.e164, tenant: tenant.id }, 'carrier call to a DID');
      },
    };
  }

  /** The caller as the tenant's phones see it: E.164 in From, the international form as display name. */
  private callerOf(
    request: SipRequest,
    carrier: CarrierConfig,
  ): { extension: string; displayName: string | undefined } {
    const privacy = (request.header('privacy') ?? '').toLowerCase();
    if (/\b(id|user|header)\b/.test(privacy)) return { extension: 'anonymous', displayName: 'Anonymous' };
    const asserted = safely(() => request.pAssertedIdentities[0]?.uri);
    const from = safely(() => request.from);
    const text = (asserted && userOf(asserted)) ?? (from ? userOf(from.uri) : undefined) ?? '';
    const id = inboundCallerId(text, carrier);
    if (id.e164 === undefined) {
      const shown = id.display === 'anonymous' ? 'Anonymous' : id.display;
      return { extension: id.display === 'anonymous' ? 'anonymous' : id.display, displayName: shown };
    }
    return { extension: id.e164, displayName: id.display };
  }
}
