import type { DigestServer, ServerTransaction, SipRequest } from '@telekommune/sip';
import { formatUri } from '@telekommune/sip';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import type { LocationService } from '../registrar/location-service.js';
import type { RegisterRequest } from '../registrar/register-request.js';
import { bindingFlow, looksNatted } from './flows.js';
import type { SecurityMonitor } from './security-monitor.js';

export interface RegistrarDeps {
  readonly directory: () => TenantDirectory;
  readonly location: LocationService;
  readonly digest: DigestServer;
  readonly security: SecurityMonitor;
  readonly now?: () => number;
  /** Devices that were not bound before this REGISTER (a phone that just started: its MWI lamp is set). */
  readonly onNewBindings?: (tenantId: string, aor: string, contacts: readonly string[]) => void;
}

function sipUser(
  request: SipRequest,
  which: 'to' | 'from',
): { user: string | undefined; host: string } | undefined {
  const uri = request[which].uri;
  return uri.kind === 'sip' ? { user: uri.user, host: uri.host } : undefined;
}

/**
 * REGISTER (RFC 3261 §10.3): the tenant from the Request-URI's domain, the
 * address of record from To, digest authentication in the tenant's realm
 * (the authenticated user must be the AoR's extension), then the binding
 * update, bound to the flow the request came on (NAT, RFC 3581).
 */
export async function handleRegister(
  request: SipRequest,
  transaction: ServerTransaction,
  deps: RegistrarDeps,
): Promise<void> {
  const source = transaction.flow.remoteAddress;
  const uri = request.uri;
  const tenant = uri.kind === 'sip' ? deps.directory().tenantByDomain(uri.host) : undefined;
  if (!tenant) {
    transaction.reply(404, { reason: 'Domain Not Served Here' });
    return;
  }
  const to = sipUser(request, 'to');
  if (!to || to.user === undefined || to.host.toLowerCase() !== tenant.domain) {
    transaction.reply(404, { reason: 'Unknown Address Of Record' });
    return;
  }
  const aor = to.user;
  const outcome = await deps.digest.authenticate(request, { realm: tenant.domain });
  if (outcome.kind === 'challenge') {
    // A first REGISTER without credentials is the normal start, not a failure.
    if (outcome.reason !== 'no-credentials' && !outcome.stale)
      deps.security.authFailed(source, outcome.username);
    transaction.reply(outcome.status, { headers: outcome.headers });
    return;
  }
  if (outcome.username !== aor) {
    deps.security.authFailed(source, outcome.username);
    transaction.reply(403, { reason: 'Credentials Do Not Match The Address Of Record' });
    return;
  }
  if (!deps.directory().extension(tenant.id, aor)) {
    transaction.reply(404, { reason: 'Unknown Extension' });
    return;
  }
  deps.security.authSucceeded(source);

  const contacts = request.contacts;
  const register: RegisterRequest = {
    tenantId: tenant.id,
    aor,
    callId: request.callId,
    cseq: request.cseq.seq,
    expires: request.expires,
    wildcard: request.contactStar,
    contacts: request.contactStar
      ? []
      : contacts.map((contact) => {
          const expiresParam = contact.params.get('expires');
          const q = contact.params.get('q');
          const instance = contact.params.get('+sip.instance');
          return {
            uri: formatUri(contact.uri),
            expires:
              expiresParam === undefined || expiresParam === null ? undefined : parseDelta(expiresParam),
            q: q === undefined || q === null ? undefined : Number.parseFloat(q),
            instanceId: instance ?? undefined,
          };
        }),
    userAgent: request.header('user-agent')?.slice(0, 256),
    flow: bindingFlow(transaction.flow, looksNatted(request, transaction.flow, contacts[0]?.uri)),
  };
  const before = new Set(deps.location.lookup(tenant.id, aor).map((b) => b.contact));
  const result = deps.location.register(register);
  switch (result.status) {
    case 200: {
      const added = result.bindings.map((b) => b.contact).filter((contact) => !before.has(contact));
      const now = deps.now?.() ?? Date.now();
      const headers: [string, string][] = result.bindings.map((b) => [
        'Contact',
        `<${b.contact}>;expires=${Math.max(0, Math.round((b.expiresAt_ms - now) / 1000))}`,
      ]);
      headers.push(['Date', new Date(now).toUTCString()]);
      transaction.reply(200, { headers });
      if (added.length > 0) deps.onNewBindings?.(tenant.id, aor, added);
      return;
    }
    case 423:
      transaction.reply(423, { headers: [['Min-Expires', String(result.minExpires_s)]] });
      return;
    case 400:
      transaction.reply(400, { reason: result.reason });
      return;
    case 500:
      transaction.reply(500, {
        reason: result.reason,
        headers: [['Retry-After', String(result.retryAfter_s)]],
      });
      return;
  }
}

/** delta-seconds; values past 2^32-1 are capped like RFC 3261 §20.19 says for Expires. */
function parseDelta(text: string): number {
  if (!/^[0-9]+$/.test(text)) return -1;
  return Math.min(Number.parseInt(text, 10), 4_294_967_295);
}
