export type * from './schema-voice.js';
export * from './voice-repository.js';
