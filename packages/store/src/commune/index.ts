export type * from './schema-commune.js';
export * from './sql-commune-log.js';
