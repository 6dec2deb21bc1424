import { EventEmitter } from 'node:events';
import {
  BillingService,
  type CarrierConfig,
  CarrierSources,
  CarrierStatusBoard,
  DidDirectory,
  FraudGuard,
  type FraudPolicy,
  fraudPolicyOf,
  LogAndWebhookAlertSink,
  RateDeckCache,
  type TenantConfig,
  type TenantDirectory,
} from '@telekommune/pbx';
import {
  SqlBillingRepository,
  SqlFraudStateRepository,
  type SqlProvisioningRepository,
  SqlRateDeckRepository,
  type Store,
} from '@telekommune/store';
import type { Logger } from './logger.js';

/**
 * Carriers, DIDs, rate decks, billing and the fraud guard of the running
 * process (issue 7). The call core reads from here: `dids()` for inbound
 * calls, `carriers()` with `decks.carrierDecks` and `board` for LCR,
 * `fraud` and `billing` around every outside call; it subscribes to `cut`
 * to end calls the fraud guard stops.
 */
export interface CarrierRuntime {
  readonly board: CarrierStatusBoard;
  readonly decks: RateDeckCache;
  readonly billing: BillingService;
  readonly billingRepository: SqlBillingRepository;
  readonly fraud: FraudGuard;
  readonly alerts: LogAndWebhookAlertSink;
  /** Emits `cut` with call ids the fraud guard wants ended, and a reason. */
  readonly events: EventEmitter<{ cut: [callIds: readonly string[], reason: string] }>;
  carriers(): readonly CarrierConfig[];
  carrier(id: string): CarrierConfig | undefined;
  /** Which carrier a request comes from, by source address (IP allow-lists). */
  sources(): CarrierSources;
  dids(): DidDirectory;
  /** Reloads carriers, DIDs and changed decks (after any configuration change). */
  reload(): Promise<void>;
}

export async function startCarrierRuntime(deps: {
  readonly store: Store;
  readonly provisioning: SqlProvisioningRepository;
  readonly directory: () => TenantDirectory;
  readonly logger: Logger;
}): Promise<CarrierRuntime> {
  const { store, provisioning, logger } = deps;
  const board = new CarrierStatusBoard();
  const decks = new RateDeckCache(new SqlRateDeckRepository(store));
  const billingRepository = new SqlBillingRepository(store);
  const fraudState = new SqlFraudStateRepository(store);
  const alerts = new LogAndWebhookAlertSink(logger);
  const events = new EventEmitter<{ cut: [callIds: readonly string[], reason: string] }>();
  let carriers: CarrierConfig[] = [];
  let dids = new DidDirectory([]);
  let sources = new CarrierSources([]);
  const policies = new WeakMap<TenantConfig, FraudPolicy>();
  const persist = (what: string) => (error: unknown) =>
    logger.error({ err: error }, `fraud guard: could not ${what}`);

  const fraud = new FraudGuard(
    (tenantId) => {
      const tenant = deps.directory().tenant(tenantId);
      if (!tenant) return undefined;
      let policy = policies.get(tenant);
      if (!policy) {
        policy = fraudPolicyOf(tenant);
        policies.set(tenant, policy);
      }
      return policy;
    },
    {
      alerts,
      cut: (callIds, reason) => {
        logger.warn({ callIds, reason }, 'fraud guard: cutting calls');
        events.emit('cut', callIds, reason);
      },
      suspended: (s) => void fraudState.saveSuspension(s).catch(persist('save a suspension')),
      lifted: (tenantId, extension) =>
        void fraudState.deleteSuspension(tenantId, extension).catch(persist('lift a suspension')),
      destinationFirstCalled: (d) =>
        void fraudState.addKnownDestination(d).catch(persist('record a destination')),
    },
  );
  const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
  fraud.restore({
    suspensions: await fraudState.loadSuspensions(),
    knownDestinations: await fraudState.loadKnownDestinations(),
    spendToday: await billingRepository.spendSince(today),
  });

  const billing = new BillingService({
    repository: billingRepository,
    decks,
    tenant: (id) => deps.directory().tenant(id),
    carrier: (id) => carriers.find((c) => c.id === id),
  });

  const reload = async () => {
    const [nextCarriers, tenants] = await Promise.all([
      provisioning.listCarriers(),
      provisioning.listTenants(),
    ]);
    carriers = nextCarriers;
    sources = new CarrierSources(nextCarriers);
    dids = new DidDirectory(tenants);
    const loaded = await decks.refresh();
    if (loaded > 0) logger.info({ decks: loaded }, 'rate decks loaded');
  };
  await reload();

  return {
    board,
    decks,
    billing,
    billingRepository,
    fraud,
    alerts,
    events,
    carriers: () => carriers,
    carrier: (id) => carriers.find((c) => c.id === id),
    sources: () => sources,
    dids: () => dids,
    reload,
  };
}
