/** Something the fraud guard wants people to know about (pbx.md §6). */
export interface FraudAlert {
  readonly kind: 'limit-denied' | 'spend-breach' | 'suspended' | 'lifted';
  readonly tenantId: string;
  readonly extension: string | undefined;
  readonly message: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly callId?: string;
}

/** Where alerts go: the log always, a tenant's webhook when set. */
export interface FraudAlertSink {
  alert(alert: FraudAlert, webhook: string | undefined): void;
}

export interface AlertLogger {
  warn(object: object, message: string): void;
}

export interface WebhookOptions {
  readonly timeout_ms: number;
  /** Alerts waiting to be posted; beyond this the oldest are dropped (and logged). */
  readonly maxQueue: number;
  readonly fetch: typeof fetch;
}

/**
 * Logs every alert and POSTs it as JSON to the tenant's webhook, one at a
 * time from a bounded queue, each with a timeout; a failing webhook is
 * logged, never retried forever and never blocks a call.
 */
export class LogAndWebhookAlertSink implements FraudAlertSink {
  private readonly queue: { url: string; alert: FraudAlert }[] = [];
  private sending = false;
  private readonly options: WebhookOptions;

  constructor(
    private readonly logger: AlertLogger,
    options: Partial<WebhookOptions> = {},
  ) {
    this.options = { timeout_ms: 5000, maxQueue: 100, fetch: globalThis.fetch, ...options };
  }

  alert(alert: FraudAlert, webhook: string | undefined): void {
    this.logger.warn({ fraud: alert }, `fraud guard: ${alert.message}`);
    if (webhook === undefined) return;
    if (this.queue.length >= this.options.maxQueue) {
      const dropped = this.queue.shift();
      this.logger.warn({ url: dropped?.url }, 'fraud alert webhook queue full: dropped the oldest alert');
    }
    this.queue.push({ url: webhook, alert });
    void this.drain();
  }

  /** Resolves when the queue is empty (for tests and shutdown). */
  async idle(): Promise<void> {
    while (this.sending || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        try {
          const response = await this.options.fetch(next.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'fraud-alert', ...next.alert }),
            signal: AbortSignal.timeout(this.options.timeout_ms),
          });
          if (!response.ok)
            this.logger.warn({ url: next.url, status: response.status }, 'fraud alert webhook refused');
        } catch (error) {
          this.logger.warn({ url: next.url, err: error }, 'fraud alert webhook failed');
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
