import type { CarrierConfig } from '../../carriers/carrier-config.js';
import type { CarrierSources } from '../../carriers/carrier-source.js';
import type { CarrierStatusBoard } from '../../carriers/carrier-status.js';
import type { FraudGuard } from '../../fraud/fraud-guard.js';
import type { DidDirectory } from '../../numbering/did-directory.js';
import type { BillingService } from '../../rating/billing-service.js';
import type { RateDeckCache } from '../../rating/rate-deck-cache.js';

/**
 * What the SIP trunk side needs of the carriers domain (issue 7): the
 * configured carriers, who sends from where, DIDs, rate decks, the status
 * board (health and call slots), billing and the fraud guard. The server's
 * carrier runtime provides it.
 */
export interface CarrierServices {
  readonly board: CarrierStatusBoard;
  readonly decks: RateDeckCache;
  readonly billing: BillingService;
  readonly fraud: FraudGuard;
  carriers(): readonly CarrierConfig[];
  sources(): CarrierSources;
  dids(): DidDirectory;
  /** Subscribes to the fraud guard's orders to end calls. */
  onCut(listener: (callIds: readonly string[], reason: string) => void): void;
}
