import type { StoreFactory } from '../fresh-store.js';
import { accountsConformance } from './accounts.js';
import { callsConformance } from './calls.js';
import { carriersConformance } from './carriers.js';
import { communeConformance } from './commune.js';
import { provisioningConformance } from './provisioning.js';
import { voiceConformance } from './voice.js';

/**
 * Every store conformance suite. Each back end's test file runs all of them,
 * so SQLite and PostgreSQL are held to one contract. Add a suite here.
 */
export const conformanceSuites: ReadonlyArray<(factory: StoreFactory) => void> = [
  provisioningConformance,
  callsConformance,
  accountsConformance,
  carriersConformance,
  communeConformance,
  voiceConformance,
];
