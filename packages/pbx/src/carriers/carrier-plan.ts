import { canonicalJson } from '../provisioning/canonical.js';
import type { CarrierConfig } from './carrier-config.js';

export interface CarrierPlan {
  readonly carrierId: string;
  readonly action: 'create' | 'update' | 'unchanged';
}

/** Which carriers of a document are new, changed or as stored. Carriers the document leaves out are untouched. */
export function planCarriers(
  desired: readonly CarrierConfig[],
  stored: readonly CarrierConfig[],
): CarrierPlan[] {
  const byId = new Map(stored.map((c) => [c.id, canonicalJson(c)]));
  return desired.map((carrier) => {
    const current = byId.get(carrier.id);
    return {
      carrierId: carrier.id,
      action: current === undefined ? 'create' : current === canonicalJson(carrier) ? 'unchanged' : 'update',
    };
  });
}
