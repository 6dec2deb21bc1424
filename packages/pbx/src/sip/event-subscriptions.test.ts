import {
  parseMessage,
  parseUri,
  type ServerTransaction,
  type SipRequest,
  type SipStack,
  type SipUri,
} from '@telekommune/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type EventSubscription, EventSubscriptions, type NotifyCause } from './event-subscriptions.js';

interface Watch extends EventSubscription {
  readonly watcher: string;
}

const limits = { maxSubscriptions: 2, minExpires_s: 60, maxExpires_s: 3600, defaultExpires_s: 600 };

let calls = 0;

function subscribe(
  options: { expires?: number; toTag?: string; cseq?: number; method?: string; callId?: string } = {},
): SipRequest {
  const method = options.method ?? 'SUBSCRIBE';
  const text = [
    `${method} sip:1002@acme.test SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-test-' + Math.random().toString(36).slice(2),
    'From: <sip:1001@acme.test>;tag=watcher-tag',
    `To: <sip:1002@acme.test>${options.toTag ? `;tag=${options.toTag}` : ''}`,
    `Call-ID: ${options.callId ?? `sub-call-${++calls}@127.0.0.1`}`,
    `CSeq: ${options.cseq ?? 1} ${method}`,
    'Contact: <sip:1001@127.0.0.1:5070>',
    'Event: test-event',
    ...(options.expires === undefined ? [] : [`Expires: ${options.expires}`]),
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const parsed = parseMessage(Buffer.from(text));
  if (!parsed.ok || !parsed.message.isRequest) throw new Error('test request did not parse');
  return parsed.message as SipRequest;
}

interface Replied {
  readonly status: number;
  readonly headers: readonly (readonly [string, string])[];
}

function transaction(replies: Replied[]): ServerTransaction {
  return {
    toTag: 'notifier-tag',
    flow: {
      protocol: 'udp',
      remoteAddress: '127.0.0.1',
      remotePort: 5070,
      localAddress: '127.0.0.1',
      localPort: 5060,
      connectionId: undefined,
    },
    reply: (status: number, options: { headers?: readonly (readonly [string, string])[] } = {}) =>
      replies.push({ status, headers: options.headers ?? [] }),
  } as unknown as ServerTransaction;
}

describe('EventSubscriptions (RFC 6665, shared by MWI and busy lamps)', () => {
  let now = 1_000_000;
  let notifies: { state: string; body: string; event: string }[];
  let notifyStatus: number;
  let causes: NotifyCause[];
  let removed: string[];
  let table: EventSubscriptions<Watch>;

  beforeEach(() => {
    vi.useFakeTimers();
    now = 1_000_000;
    notifies = [];
    notifyStatus = 200;
    causes = [];
    removed = [];
    const stack = {
      contactUri: () => parseUri('sip:pbx@127.0.0.1:5060') as SipUri,
      request: async (request: SipRequest) => {
        notifies.push({
          state: request.header('subscription-state') ?? '',
          event: request.header('event') ?? '',
          body: request.body.toString(),
        });
        return { status: notifyStatus };
      },
    } as unknown as SipStack;
    table = new EventSubscriptions<Watch>({
      event: 'test-event',
      stack: () => stack,
      log: () => {},
      limits,
      now: () => now,
      content: (_subscription, cause) => {
        causes.push(cause);
        return () => ({ body: `state at ${cause}`, contentType: 'text/plain' });
      },
      removed: (subscription) => removed.push(subscription.key),
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  const settle = async () => {
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(0);
  };

  function start(expires: number): { replies: Replied[]; watch: Watch | undefined } {
    const replies: Replied[] = [];
    const request = subscribe({ expires });
    const tx = transaction(replies);
    const granted = table.expiresOf(request, tx);
    if (granted === undefined || !table.hasRoom(tx)) return { replies, watch: undefined };
    const accepted = table.accept(request, tx, granted);
    if (!accepted) return { replies, watch: undefined };
    const watch: Watch = {
      ...accepted,
      resource: 'acme\u00001002',
      watcher: '1001',
      timer: undefined,
      queue: Promise.resolve(),
    };
    table.start(watch, granted);
    return { replies, watch };
  }

  it('accepts with 200, the Expires granted and a Contact, then NOTIFYs active with the time left', async () => {
    const { replies, watch } = start(7200);
    await settle();
    expect(replies).toEqual([
      {
        status: 200,
        headers: [
          ['Expires', '3600'],
          ['Contact', '<sip:pbx@127.0.0.1:5060>'],
        ],
      },
    ]);
    expect(notifies).toEqual([
      { state: 'active;expires=3600', event: 'test-event', body: 'state at subscribed' },
    ]);
    expect(table.size).toBe(1);
    expect([...table.watching('acme\u00001002')]).toEqual([watch]);
    table.changed('acme\u00001002');
    await settle();
    expect(notifies.at(-1)).toMatchObject({ state: 'active;expires=3600', body: 'state at changed' });
  });

  it('refuses an Expires under the minimum with 423 and Min-Expires, and a full table with 503', () => {
    expect(start(30).replies).toEqual([{ status: 423, headers: [['Min-Expires', '60']] }]);
    start(600);
    start(600);
    expect(start(600).replies).toEqual([{ status: 503, headers: [['Retry-After', '60']] }]);
    expect(table.size).toBe(2);
  });

  it('answers a fetch (Expires 0) with one terminated NOTIFY and keeps nothing', async () => {
    start(0);
    await settle();
    expect(notifies).toEqual([
      { state: 'terminated;reason=timeout', event: 'test-event', body: 'state at fetched' },
    ]);
    expect(table.size).toBe(0);
  });

  it('refreshes and unsubscribes in the dialog; other methods get 405', async () => {
    const callId = start(600).watch!.dialog.id.callId;
    await settle();
    now += 100_000;
    const replies: Replied[] = [];
    const refresh = subscribe({ expires: 1200, toTag: 'notifier-tag', cseq: 2, callId });
    expect(table.inDialog(refresh, transaction(replies))).toBe(true);
    await settle();
    expect(replies).toEqual([{ status: 200, headers: [['Expires', '1200']] }]);
    expect(notifies.at(-1)).toMatchObject({ state: 'active;expires=1200', body: 'state at refreshed' });
    const publish = subscribe({ method: 'PUBLISH', toTag: 'notifier-tag', cseq: 3, callId });
    expect(table.inDialog(publish, transaction(replies))).toBe(true);
    expect(replies.at(-1)).toEqual({ status: 405, headers: [['Allow', 'SUBSCRIBE']] });
    const strangers = subscribe({ expires: 600, toTag: 'another-tag', cseq: 4, callId });
    expect(table.inDialog(strangers, transaction(replies))).toBe(false);
    const unsubscribe = subscribe({ expires: 0, toTag: 'notifier-tag', cseq: 5, callId });
    expect(table.inDialog(unsubscribe, transaction(replies))).toBe(true);
    await settle();
    expect(replies.at(-1)).toEqual({ status: 200, headers: [['Expires', '0']] });
    expect(notifies.at(-1)).toMatchObject({
      state: 'terminated;reason=timeout',
      body: 'state at unsubscribed',
    });
    expect(table.size).toBe(0);
    expect(removed).toHaveLength(1);
    expect(table.watched('acme\u00001002')).toBe(false);
  });

  it('ends a subscription when it expires, and when the watcher refuses a NOTIFY', async () => {
    start(600);
    await settle();
    now += 600_000;
    await vi.advanceTimersByTimeAsync(600_000);
    await settle();
    expect(notifies.at(-1)).toMatchObject({ state: 'terminated;reason=timeout', body: 'state at expired' });
    expect(table.size).toBe(0);

    const { watch } = start(600);
    await settle();
    notifyStatus = 481;
    table.changed(watch!.resource);
    await settle();
    expect(table.size).toBe(0);
    expect(removed).toHaveLength(2);
    // Nothing more goes to a subscription that is over.
    const sent = notifies.length;
    table.changed(watch!.resource);
    await settle();
    expect(notifies).toHaveLength(sent);
  });

  it('tells every subscriber at shutdown: terminated;reason=noresource', async () => {
    start(600);
    await settle();
    await table.close();
    expect(notifies.at(-1)).toMatchObject({
      state: 'terminated;reason=noresource',
      body: 'state at shutdown',
    });
    expect(table.size).toBe(0);
    expect(causes).toEqual(['subscribed', 'shutdown']);
  });
});
