import { type Logger, pino } from 'pino';
import type { LogLevel } from './settings.js';

export type { Logger };

/** Structured JSON logs on standard error, so standard output stays for what a command prints. */
export function createLogger(level: LogLevel): Logger {
  return pino({ level, base: { service: 'telekommune' } }, pino.destination({ fd: 2, sync: false }));
}
