export * from './billing-repository.js';
export * from './carrier-rows.js';
export * from './fraud-state-repository.js';
export * from './rate-deck-repository.js';
export type * from './schema-carriers.js';
