/**
 * The public surface of numbers, carriers, LCR, rating and the fraud guard
 * (issue 7), re-exported by the package index in one line.
 */

export * from '../fraud/fraud-alert.js';
export * from '../fraud/fraud-config.js';
export * from '../fraud/fraud-guard.js';
export * from '../fraud/fraud-policy.js';
export type * from '../fraud/fraud-state-repository.js';
export * from '../numbering/caller-id.js';
export * from '../numbering/country.js';
export * from '../numbering/dial-plan-config.js';
export * from '../numbering/did-config.js';
export * from '../numbering/did-directory.js';
export * from '../numbering/did-ownership.js';
export * from '../numbering/e164.js';
export * from '../numbering/emergency-numbers.js';
export * from '../numbering/number-class.js';
export * from '../numbering/outbound-dial-plan.js';
export * from '../numbering/permission-class.js';
export * from '../numbering/tenant-numbers.js';
export * from '../rating/billing-config.js';
export * from '../rating/billing-increment.js';
export * from '../rating/billing-repository.js';
export * from '../rating/billing-service.js';
export * from '../rating/call-rating.js';
export * from '../rating/credit.js';
export * from '../rating/money.js';
export * from '../rating/rate-deck-cache.js';
export * from '../rating/rate-deck-csv.js';
export * from '../rating/rate-index.js';
export * from '../rating/rate-table.js';
export * from '../rating/revenue-booking.js';
export * from '../rating/statement.js';
export * from './carrier-config.js';
export * from './carrier-plan.js';
export * from './carrier-source.js';
export * from './carrier-status.js';
export * from './least-cost-routing.js';
export * from './number-format.js';
export * from './route-attempts.js';
