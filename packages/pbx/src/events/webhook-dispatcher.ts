import { createHmac, randomUUID } from 'node:crypto';
import type { WebhookConfig } from './webhook-config.js';

/** What a webhook receives: one event, JSON. */
export interface WebhookEvent {
  readonly type: string;
  readonly tenantId: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly data: Record<string, unknown>;
}

export interface WebhookLogger {
  warn(detail: object, message: string): void;
}

export interface WebhookDispatcherOptions {
  readonly timeout_ms: number;
  /** Delays before the second, third, ... attempt; a delivery is tried once more than this is long. */
  readonly retryDelays_ms: readonly number[];
  /** Deliveries waiting per URL; beyond this the oldest are dropped (and logged). */
  readonly maxQueue: number;
  readonly fetch: typeof fetch;
  readonly now: () => number;
}

interface Delivery {
  readonly id: string;
  readonly webhook: WebhookConfig;
  readonly body: string;
  readonly type: string;
}

/**
 * Sends events to webhooks: JSON POSTs, one at a time per URL in order, each
 * with a timeout, retried after a network failure, 429 or 5xx (other answers
 * are final), from a bounded queue per URL. With a secret each delivery is
 * signed: `Telekommune-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`. A slow or dead receiver never holds up a call.
 */
export class WebhookDispatcher {
  private readonly queues = new Map<string, Delivery[]>();
  private readonly draining = new Set<string>();
  private readonly options: WebhookDispatcherOptions;
  private closed = false;
  /** Deliveries answered 2xx, and given up on, since start. */
  delivered = 0;
  failed = 0;

  constructor(
    private readonly logger: WebhookLogger,
    options: Partial<WebhookDispatcherOptions> = {},
  ) {
    this.options = {
      timeout_ms: 5000,
      retryDelays_ms: [1000, 5000, 25_000],
      maxQueue: 1000,
      fetch: globalThis.fetch,
      now: Date.now,
      ...options,
    };
  }

  /** Queues `event` for every webhook that asked for its type. */
  send(webhooks: readonly WebhookConfig[] | undefined, event: WebhookEvent): void {
    if (this.closed || !webhooks) return;
    let body: string | undefined;
    for (const webhook of webhooks) {
      if (!webhook.events.includes(event.type as WebhookConfig['events'][number])) continue;
      body ??= JSON.stringify(event);
      const queue = this.queues.get(webhook.url) ?? [];
      if (queue.length >= this.options.maxQueue) {
        const dropped = queue.shift();
        this.failed++;
        this.logger.warn(
          { url: webhook.url, delivery: dropped?.id },
          'webhook queue full: dropped the oldest event',
        );
      }
      queue.push({ id: randomUUID(), webhook, body, type: event.type });
      this.queues.set(webhook.url, queue);
      void this.drain(webhook.url);
    }
  }

  /** Resolves when nothing is queued or being sent (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining.size > 0) await new Promise((r) => setTimeout(r, 10));
  }

  /** Stops taking events; what is queued is dropped. */
  close(): void {
    this.closed = true;
    this.queues.clear();
  }

  private async drain(url: string): Promise<void> {
    if (this.draining.has(url)) return;
    this.draining.add(url);
    try {
      for (;;) {
        const delivery = this.queues.get(url)?.shift();
        if (!delivery) break;
        await this.deliver(delivery);
      }
    } finally {
      this.queues.delete(url);
      this.draining.delete(url);
    }
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const attempts = this.options.retryDelays_ms.length + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.closed) return;
      const outcome = await this.attempt(delivery, attempt);
      if (outcome === 'done') {
        this.delivered++;
        return;
      }
      if (outcome === 'final' || attempt === attempts) break;
      await new Promise((r) => setTimeout(r, this.options.retryDelays_ms[attempt - 1]));
    }
    this.failed++;
    this.logger.warn(
      { url: delivery.webhook.url, delivery: delivery.id, type: delivery.type },
      'webhook delivery given up',
    );
  }

  private async attempt(delivery: Delivery, attempt: number): Promise<'done' | 'retry' | 'final'> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Telekommune-Webhooks/1',
      'telekommune-event': delivery.type,
      'telekommune-delivery': delivery.id,
      'telekommune-attempt': String(attempt),
    };
    if (delivery.webhook.secret !== undefined) {
      headers['telekommune-signature'] = signature(
        delivery.webhook.secret,
        delivery.body,
        this.options.now(),
      );
    }
    try {
      const response = await this.options.fetch(delivery.webhook.url, {
        method: 'POST',
        headers,
        body: delivery.body,
        signal: AbortSignal.timeout(this.options.timeout_ms),
        redirect: 'manual',
      });
      await response.body?.cancel().catch(() => {});
      if (response.ok) return 'done';
      const retry = response.status === 429 || response.status >= 500;
      this.logger.warn(
        { url: delivery.webhook.url, status: response.status, delivery: delivery.id, attempt },
        retry ? 'webhook refused; will retry' : 'webhook refused',
      );
      return retry ? 'retry' : 'final';
    } catch (error) {
      this.logger.warn(
        { url: delivery.webhook.url, err: String(error), delivery: delivery.id, attempt },
        'webhook failed',
      );
      return 'retry';
    }
  }
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signature(secret: string, body: string, now_ms: number): string {
  const t = Math.floor(now_ms / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
