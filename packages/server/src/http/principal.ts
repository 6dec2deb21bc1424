/** Who is calling the API, as established by authentication. */
export type Principal =
  | { readonly kind: 'operator'; readonly tokenId: string }
  | { readonly kind: 'tenant'; readonly tenantId: string; readonly tokenId: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/** Whether the caller may see and change this tenant's data. */
export function canAccessTenant(principal: Principal | undefined, tenantId: string): boolean {
  if (!principal) return false;
  return principal.kind === 'operator' || principal.tenantId === tenantId;
}
