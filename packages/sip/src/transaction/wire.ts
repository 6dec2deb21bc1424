/**
 * How a transaction puts bytes on the network: bound to one destination and
 * transport when the transaction is created. Failures come back through the
 * transaction's `transportError` (RFC 3261 §17.1.4, §17.2.4).
 */
export interface Wire {
  readonly reliable: boolean;
  send(bytes: Buffer): void;
}
