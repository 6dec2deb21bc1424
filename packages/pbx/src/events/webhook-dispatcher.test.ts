import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { webhookConfigSchema } from './webhook-config.js';
import { signature, WebhookDispatcher, type WebhookEvent } from './webhook-dispatcher.js';

const event = (type: string, n = 1): WebhookEvent => ({
  type,
  tenantId: 'acme',
  at: '2026-11-27T10:00:00.000Z',
  data: { n },
});

function setup(answers: (number | 'network')[], options: { maxQueue?: number } = {}) {
  const calls: { url: string; headers: Record<string, string>; body: string }[] = [];
  const warnings: string[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string>, body: String(init.body) });
    const answer = answers.shift() ?? 200;
    if (answer === 'network') throw new TypeError('fetch failed');
    return new Response(null, { status: answer });
  }) as unknown as typeof globalThis.fetch;
  const dispatcher = new WebhookDispatcher(
    { warn: (_detail, message) => warnings.push(message) },
    { fetch, retryDelays_ms: [1, 1], now: () => 1_800_000_000_500, maxQueue: options.maxQueue ?? 1000 },
  );
  return { dispatcher, calls, warnings };
}

describe('WebhookDispatcher', () => {
  it('posts each event to the webhooks that asked for its type, in order, signed when there is a secret', async () => {
    const { dispatcher, calls } = setup([]);
    const signed = webhookConfigSchema.parse({
      url: 'https://a.example/hook',
      secret: 'a-long-shared-secret',
    });
    const endedOnly = webhookConfigSchema.parse({ url: 'https://b.example/hook', events: ['call.ended'] });
    dispatcher.send([signed, endedOnly], event('call.started', 1));
    dispatcher.send([signed, endedOnly], event('call.ended', 2));
    await dispatcher.idle();
    expect(calls.map((c) => `${c.url} ${c.headers['telekommune-event']}`)).toEqual([
      'https://a.example/hook call.started',
      'https://b.example/hook call.ended',
      'https://a.example/hook call.ended',
    ]);
    const first = calls[0]!;
    expect(JSON.parse(first.body)).toEqual(event('call.started', 1));
    const expected = createHmac('sha256', 'a-long-shared-secret')
      .update(`1800000000.${first.body}`)
      .digest('hex');
    expect(first.headers['telekommune-signature']).toBe(`t=1800000000,v1=${expected}`);
    expect(calls[1]!.headers['telekommune-signature']).toBeUndefined();
    expect(dispatcher.delivered).toBe(3);
  });

  it('retries after a network failure, 429 or 5xx, and gives up after the last try', async () => {
    const { dispatcher, calls, warnings } = setup(['network', 503, 200, 500, 502, 429]);
    const hook = webhookConfigSchema.parse({ url: 'https://a.example/hook' });
    dispatcher.send([hook], event('call.started', 1));
    dispatcher.send([hook], event('call.ended', 2));
    await dispatcher.idle();
    expect(calls.map((c) => [c.headers['telekommune-event'], c.headers['telekommune-attempt']])).toEqual([
      ['call.started', '1'],
      ['call.started', '2'],
      ['call.started', '3'],
      ['call.ended', '1'],
      ['call.ended', '2'],
      ['call.ended', '3'],
    ]);
    // The same delivery id on every attempt, so a receiver can drop duplicates.
    expect(new Set(calls.slice(0, 3).map((c) => c.headers['telekommune-delivery'])).size).toBe(1);
    expect([dispatcher.delivered, dispatcher.failed]).toEqual([1, 1]);
    expect(warnings).toContain('webhook delivery given up');
  });

  it('does not retry a 4xx answer, and drops the oldest past its queue bound', async () => {
    const { dispatcher, calls } = setup([404], { maxQueue: 2 });
    const hook = webhookConfigSchema.parse({ url: 'https://a.example/hook' });
    for (let n = 1; n <= 5; n++) dispatcher.send([hook], event('call.started', n));
    await dispatcher.idle();
    // The first went out at once (and was refused for good); of the four queued behind it, two were kept.
    expect(calls.map((c) => JSON.parse(c.body).data.n)).toEqual([1, 4, 5]);
    expect([dispatcher.delivered, dispatcher.failed]).toEqual([2, 3]);
  });

  it('refuses bad webhook settings with clear messages', () => {
    expect(() => webhookConfigSchema.parse({ url: 'ftp://a.example' })).toThrow(/expected an http\(s\) URL/);
    expect(() => webhookConfigSchema.parse({ url: 'https://a.example', events: ['call.held'] })).toThrow(
      /expected one of call.started, call.answered, call.ended/,
    );
    expect(() => webhookConfigSchema.parse({ url: 'https://a.example', secret: 'short' })).toThrow(
      /at least 16 characters/,
    );
    expect(signature('k', '{}', 1000)).toMatch(/^t=1,v1=[0-9a-f]{64}$/);
  });
});
