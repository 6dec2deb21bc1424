export * from './calls/call-features-config.js';
export * from './provisioning/apply.js';
export * from './provisioning/canonical.js';
export type * from './provisioning/provisioning-repository.js';
export * from './provisioning/tenant-config.js';
export * from './provisioning/validate.js';
export * from './routing/destination.js';
