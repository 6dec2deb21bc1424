export * from './api-token-repository.js';
export * from './cdr-repository.js';
export * from './int8.js';
export * from './meta.js';
export * from './migrations/index.js';
export * from './open-store.js';
export * from './provisioning-repository.js';
export * from './registration-repository.js';
export type * from './schema.js';
