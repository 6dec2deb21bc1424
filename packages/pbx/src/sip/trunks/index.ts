/** The SIP trunk side of carriers (issue 7): re-exported by the package index in one line. */

export * from './carrier-address.js';
export * from './carrier-dial.js';
export * from './carrier-health.js';
export type * from './carrier-invite.js';
export * from './carrier-registration.js';
export * from './carrier-registrations.js';
export type * from './carrier-services.js';
export * from './inbound-calls.js';
export * from './outside-calls.js';
export * from './registration-state.js';
export * from './sip-trunks.js';
export * from './trunk-call-book.js';
