/**
 * What the stack logs through: a subset of pino's API (`logger.warn(obj, msg)`),
 * so the server passes its pino logger; every method is optional.
 */
export interface SipLogger {
  debug?(detail: object, message: string): void;
  info?(detail: object, message: string): void;
  warn?(detail: object, message: string): void;
  error?(detail: object, message: string): void;
}

export const silentLogger: SipLogger = {};
