export * from './account.js';
export * from './account-repository.js';
export type * from './schema-accounts.js';
export * from './session-repository.js';
