import type { ConfigIssue } from '../provisioning/validate.js';

interface DidHolder {
  readonly id: string;
  readonly dids?: readonly { readonly number: string }[] | undefined;
}

/**
 * DIDs a document gives to a tenant while a stored tenant the document
 * leaves out still holds them. A DID may move between tenants of the same
 * document, never away from a tenant that is not being changed.
 */
export function didOwnershipIssues(
  document: { readonly tenants: readonly DidHolder[] },
  stored: readonly DidHolder[],
): ConfigIssue[] {
  const owner = new Map<string, string>();
  for (const tenant of stored) for (const did of tenant.dids ?? []) owner.set(did.number, tenant.id);
  const inDocument = new Set(document.tenants.map((t) => t.id));
  const issues: ConfigIssue[] = [];
  document.tenants.forEach((tenant, t) => {
    tenant.dids?.forEach((did, d) => {
      const holder = owner.get(did.number);
      if (holder !== undefined && holder !== tenant.id && !inDocument.has(holder)) {
        issues.push({
          path: `tenants[${t}].dids[${d}].number`,
          message: `DID ${did.number} belongs to tenant ${holder}`,
        });
      }
    });
  });
  return issues;
}
