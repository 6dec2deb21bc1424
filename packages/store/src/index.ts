export * from './migrations/index.js';
export * from './open-store.js';
export * from './provisioning-repository.js';
export type * from './schema.js';
