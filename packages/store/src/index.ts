export * from './api-token-repository.js';
export * from './meta.js';
export * from './migrations/index.js';
export * from './open-store.js';
export * from './provisioning-repository.js';
export type * from './schema.js';
