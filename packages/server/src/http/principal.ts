/**
 * Who is calling the API, as established by authentication (http/auth.ts):
 * an operator; a tenant's administrator (or a read-only tenant token); a
 * user who owns one extension; or a member of the Venture Commune.
 */
export type PrincipalKind = 'operator' | 'tenant' | 'user' | 'member';

/** How the caller proved who they are. Sessions carry the CSRF token their writes must echo. */
export type Credential =
  | { readonly type: 'token'; readonly tokenId: string }
  | { readonly type: 'session'; readonly sessionId: string; readonly csrfToken: string };

interface PrincipalBase {
  /** True for `operator:read` and `tenant:read` tokens: only GET and HEAD pass. */
  readonly readOnly: boolean;
  /** The console account behind the request, if any (sessions always; account-bound tokens). */
  readonly accountId: string | null;
  /** The API token's id when authenticated by token, else null. */
  readonly tokenId: string | null;
  readonly credential: Credential;
}

export type Principal =
  | (PrincipalBase & { readonly kind: 'operator' })
  | (PrincipalBase & { readonly kind: 'tenant'; readonly tenantId: string })
  | (PrincipalBase & { readonly kind: 'user'; readonly tenantId: string; readonly extension: string })
  | (PrincipalBase & { readonly kind: 'member'; readonly personId: string });

/** Routes admit operators and tenants unless their config says otherwise. */
export const defaultPrincipalKinds: readonly PrincipalKind[] = ['operator', 'tenant'];

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** No authentication required (e.g. login). */
    public?: boolean;
    /** With `public`: still identify the caller when credentials are present and valid. */
    identify?: boolean;
    /** Which kinds of caller a route admits; default `defaultPrincipalKinds`. */
    principals?: readonly PrincipalKind[];
  }
}

/**
 * Whether the caller may see and change this tenant's data. Only operators
 * and the tenant's own admins (or tenant tokens) may; users and members use
 * their own routes (/api/me/...).
 */
export function canAccessTenant(principal: Principal | undefined, tenantId: string): boolean {
  if (!principal) return false;
  if (principal.kind === 'operator') return true;
  return principal.kind === 'tenant' && principal.tenantId === tenantId;
}
