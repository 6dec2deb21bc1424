import { createResponse, type ResponseOptions } from '../message/create-response.js';
import { generateTag } from '../message/ids.js';
import { serializeMessage } from '../message/serializer.js';
import type { SipRequest } from '../message/sip-request.js';
import type { SipResponse } from '../message/sip-response.js';
import type { Flow } from '../transport/transport.js';
import { Transaction, type TransactionEnvironment } from './transaction.js';
import type { ServerEnd } from './transaction-user.js';
import type { Wire } from './wire.js';

/** What both server machines share: the request, its flow, one To tag, and a way to answer. */
export abstract class ServerTransactionBase<S extends string> extends Transaction<S> {
  readonly side = 'server';
  #toTag: string | undefined;

  protected constructor(
    key: string,
    initial: S,
    moves: Readonly<Record<S, readonly S[]>>,
    readonly request: SipRequest,
    /** Where the request came from (transport, addresses, connection): bind contacts to this. */
    readonly flow: Flow,
    wire: Wire,
    env: TransactionEnvironment,
    protected readonly ended: (end: ServerEnd) => void,
  ) {
    super(key, initial, moves, wire, env);
  }

  /** The To tag this transaction's responses carry when the request had none (§8.2.6.2). */
  get toTag(): string {
    if (this.#toTag === undefined) {
      let existing: string | undefined;
      try {
        existing = this.request.toTag;
      } catch {
        existing = undefined;
      }
      this.#toTag = existing ?? generateTag();
    }
    return this.#toTag;
  }

  /** Sends a response; see the subclass for which ones each state allows. */
  abstract respond(response: SipResponse): void;

  /** Builds a response to the request with this transaction's To tag and sends it. */
  reply(status: number, options: ResponseOptions = {}): SipResponse {
    const response = createResponse(this.request, status, { toTag: this.toTag, ...options });
    this.respond(response);
    return response;
  }

  protected sendResponse(response: SipResponse): Buffer {
    const bytes = serializeMessage(response);
    this.wire.send(bytes);
    if (response.status >= 200) this.env.finalSent?.(this as unknown as Transaction<string>);
    return bytes;
  }
}
