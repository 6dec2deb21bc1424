import type { CarrierConfig } from '../../carriers/carrier-config.js';
import { canonicalJson } from '../../provisioning/canonical.js';
import type { ServiceLogger } from '../pbx-sip-service.js';
import { type CarrierResolver, carrierUri, plainAddress, registrarUri } from './carrier-address.js';
import {
  CarrierRegistration,
  isRegistering,
  type RegistrationLimits,
  type RegistrationTransport,
} from './carrier-registration.js';
import type { RegistrationStatus } from './registration-state.js';

/**
 * The outbound registrations of every carrier with `auth.mode: register`,
 * kept in step with the configuration: a new or changed carrier
 * (re)registers, a removed or disabled one unregisters.
 */
export class CarrierRegistrations {
  private readonly active = new Map<string, { fingerprint: string; registration: CarrierRegistration }>();

  constructor(
    private readonly deps: {
      readonly transport: () => RegistrationTransport;
      readonly resolver: CarrierResolver;
      readonly logger: ServiceLogger;
      readonly limits: RegistrationLimits;
      readonly now: () => number;
    },
  ) {}

  /** Brings the registrations in line with `carriers`. */
  sync(carriers: readonly CarrierConfig[]): void {
    const wanted = new Map(carriers.filter(isRegistering).map((c) => [c.id, c]));
    for (const [id, entry] of this.active) {
      const carrier = wanted.get(id);
      if (carrier && canonicalJson(carrier) === entry.fingerprint) continue;
      this.active.delete(id);
      void entry.registration.stop();
    }
    for (const [id, carrier] of wanted) {
      if (this.active.has(id)) continue;
      const registration = new CarrierRegistration(carrier, this.deps);
      this.active.set(id, { fingerprint: canonicalJson(carrier), registration });
      registration.start();
    }
  }

  status(carrierId: string): RegistrationStatus | undefined {
    return this.active.get(carrierId)?.registration.status();
  }

  list(): RegistrationStatus[] {
    return [...this.active.values()].map((e) => e.registration.status());
  }

  /**
   * The registering carrier whose registrar or host has this address (as
   * last resolved): requests from there come from the carrier we registered to.
   */
  carrierFor(address: string): CarrierConfig | undefined {
    const plain = plainAddress(address);
    for (const { registration } of this.active.values()) {
      const carrier = registration.carrier;
      const known = [
        ...this.deps.resolver.knownAddresses(registrarUri(carrier)),
        ...this.deps.resolver.knownAddresses(carrierUri(carrier)),
      ];
      if (known.includes(plain)) return carrier;
    }
    return undefined;
  }

  /** Unregisters everything (at shutdown). */
  async close(): Promise<void> {
    const all = [...this.active.values()];
    this.active.clear();
    await Promise.all(all.map((e) => e.registration.stop()));
  }
}
