import { SipStackError } from '../errors.js';
import type { TransportProtocol } from './transport.js';

/** A connection's output: what it has queued, how to drop it, how to write to it. */
export interface ConnectionOutput {
  /** Bytes written but not yet taken by the kernel. */
  readonly queuedBytes: number;
  /** Closes the connection at once. */
  drop(): void;
  write(data: Buffer, done: (error?: Error | null) => void): void;
}

/**
 * Writes `data`, settling when it is handed to the kernel; a peer that does
 * not read, with more than `maxPendingWriteBytes` queued, loses its
 * connection instead (TransportLimits).
 */
export function boundedWrite(
  protocol: TransportProtocol,
  output: ConnectionOutput,
  data: Buffer,
  maxPendingWriteBytes: number,
): Promise<void> {
  if (output.queuedBytes + data.length > maxPendingWriteBytes) {
    output.drop();
    return Promise.reject(
      new SipStackError('send-failed', `${protocol}: peer is not reading; connection dropped`),
    );
  }
  return new Promise((resolve, reject) => {
    output.write(data, (error) => {
      if (error) reject(new SipStackError('send-failed', `${protocol} send failed`, { cause: error }));
      else resolve();
    });
  });
}
