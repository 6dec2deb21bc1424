import type { NumberClass } from '../numbering/number-class.js';
import type { TenantConfig } from '../provisioning/tenant-config.js';
import { microOf } from '../rating/money.js';

/** Limits with every default filled in, amounts in micro-units. */
export interface FraudLimits {
  readonly maxConcurrentCalls: number;
  readonly maxSpendPerDay_micro: bigint;
}

export interface FraudPolicy {
  readonly tenant: FraudLimits;
  readonly newDestination: FraudLimits;
  readonly blockedPrefixes: readonly string[];
  readonly blockedClasses: ReadonlySet<NumberClass>;
  readonly maxDeniedPerHour: number;
  readonly alertWebhook: string | undefined;
  extension(number: string | undefined): FraudLimits;
}

/** The defaults docs/carriers.md lists: conservative, so a new tenant cannot run up a large bill by mistake or theft. */
export const defaultFraudSettings = {
  tenant: { maxConcurrentCalls: 10, maxSpendPerDay: '50.00' },
  perExtension: { maxConcurrentCalls: 2, maxSpendPerDay: '20.00' },
  newDestination: { maxConcurrentCalls: 1, maxSpendPerDay: '5.00' },
  blockedClasses: ['premium'] as NumberClass[],
  maxDeniedPerHour: 20,
} as const;

/** A tenant's fraud policy: its configuration over the defaults. */
export function fraudPolicyOf(tenant: TenantConfig): FraudPolicy {
  const config = tenant.fraud;
  const limits = (
    own: { maxConcurrentCalls?: number | undefined; maxSpendPerDay?: string | undefined } | undefined,
    fallback: { maxConcurrentCalls: number; maxSpendPerDay: string },
  ): FraudLimits => ({
    maxConcurrentCalls: own?.maxConcurrentCalls ?? fallback.maxConcurrentCalls,
    maxSpendPerDay_micro: microOf(own?.maxSpendPerDay ?? fallback.maxSpendPerDay),
  });
  const tenantLimits = limits(config, defaultFraudSettings.tenant);
  const perExtension = limits(config?.perExtension, defaultFraudSettings.perExtension);
  const byExtension = new Map<string, FraudLimits>();
  for (const extension of tenant.extensions) {
    const own = extension.fraud;
    if (own === undefined) continue;
    byExtension.set(extension.number, {
      maxConcurrentCalls: own.maxConcurrentCalls ?? perExtension.maxConcurrentCalls,
      maxSpendPerDay_micro:
        own.maxSpendPerDay === undefined ? perExtension.maxSpendPerDay_micro : microOf(own.maxSpendPerDay),
    });
  }
  return {
    tenant: tenantLimits,
    newDestination: limits(config?.newDestination, defaultFraudSettings.newDestination),
    blockedPrefixes: (config?.blockedPrefixes ?? []).map((p) => (p.startsWith('+') ? p.slice(1) : p)),
    blockedClasses: new Set(config?.blockedClasses ?? defaultFraudSettings.blockedClasses),
    maxDeniedPerHour: config?.maxDeniedPerHour ?? defaultFraudSettings.maxDeniedPerHour,
    alertWebhook: config?.alertWebhook,
    extension: (number) => (number === undefined ? perExtension : (byExtension.get(number) ?? perExtension)),
  };
}
