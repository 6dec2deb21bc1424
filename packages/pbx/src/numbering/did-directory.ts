import type { CarrierConfig } from '../carriers/carrier-config.js';
import { numberCandidatesFromCarrier } from '../carriers/number-format.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import { type Destination, destinationOf } from '../routing/destination.js';
import type { CountryCode } from './country.js';
import type { DidConfig } from './did-config.js';
import { e164Candidates } from './e164.js';

export interface DidMatch {
  readonly tenantId: string;
  readonly e164: string;
  readonly did: DidConfig;
  readonly destination: Destination;
}

type SendingCarrier = Pick<CarrierConfig, 'numberFormat' | 'country'>;

/**
 * Every tenant's DIDs by E.164 number, for inbound calls: a number in any
 * form a carrier sends (Request-URI or To user part, `tel:` URI, with or
 * without `+` or `00`, national) finds its tenant and destination. Built
 * from the tenant list and replaced whole on a configuration change.
 */
export class DidDirectory {
  private readonly byNumber = new Map<string, DidMatch>();
  private readonly countries: CountryCode[];

  constructor(tenants: Iterable<TenantConfig>) {
    const countries = new Set<CountryCode>();
    for (const tenant of tenants) {
      for (const did of tenant.dids ?? []) {
        this.byNumber.set(did.number, {
          tenantId: tenant.id,
          e164: did.number,
          did,
          destination: destinationOf(did.destination),
        });
      }
      if (tenant.country !== undefined && (tenant.dids?.length ?? 0) > 0) countries.add(tenant.country);
    }
    this.countries = [...countries].sort();
  }

  get size(): number {
    return this.byNumber.size;
  }

  /**
   * The DID a dialled number names. The carrier's number format and country
   * are tried first; a national form from a carrier without a country is
   * read in the countries of the tenants holding DIDs.
   */
  lookup(text: string, carrier?: SendingCarrier): DidMatch | undefined {
    const first = carrier ? numberCandidatesFromCarrier(text, carrier) : e164Candidates(text);
    for (const candidate of first) {
      const match = this.byNumber.get(candidate);
      if (match) return match;
    }
    if (carrier?.country !== undefined) return undefined;
    for (const country of this.countries) {
      for (const candidate of e164Candidates(text, { country, form: 'national' })) {
        const match = this.byNumber.get(candidate);
        if (match) return match;
      }
    }
    return undefined;
  }
}
