import {
  type Flow,
  parseMessage,
  type SipRequest,
  type SipResponse,
  serializeMessage,
  type TransactionNetwork,
  type Wire,
  type WireFactory,
} from '../../src/index.js';

export const UDP_FLOW: Flow = {
  protocol: 'udp',
  remoteAddress: '192.0.2.1',
  remotePort: 5060,
  localAddress: '192.0.2.99',
  localPort: 5060,
  connectionId: undefined,
};

/** Records what transactions put on the wire, and can make sends fail. */
export class FakeNetwork implements TransactionNetwork {
  readonly sent: Buffer[] = [];
  readonly stateless: SipResponse[] = [];
  failures: Array<(error: Error) => void> = [];

  constructor(readonly reliable = false) {}

  wire(): WireFactory {
    return (failed) => {
      this.failures.push(failed);
      const wire: Wire = { reliable: this.reliable, send: (bytes) => this.sent.push(bytes) };
      return wire;
    };
  }

  responseWire(_request: SipRequest, _flow: Flow): WireFactory {
    return this.wire();
  }

  sendStateless(response: SipResponse): void {
    this.stateless.push(response);
  }

  /** First lines of everything sent, e.g. 'SIP/2.0 100 Trying'. */
  lines(): string[] {
    return this.sent.map((b) => b.toString('latin1').split('\r\n')[0]!);
  }

  last(): SipRequest | SipResponse {
    const parsed = parseMessage(this.sent[this.sent.length - 1]!, { datagram: true });
    if (!parsed.ok) throw new Error(parsed.fault.reason);
    return parsed.message as SipRequest | SipResponse;
  }

  clear(): void {
    this.sent.length = 0;
  }
}

export function bytesOf(message: SipRequest | SipResponse): Buffer {
  return serializeMessage(message);
}
