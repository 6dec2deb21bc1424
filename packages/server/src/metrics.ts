import { Counter, collectDefaultMetrics, Histogram, type Metric, Registry } from 'prom-client';

/** The process's Prometheus registry and the metrics every part shares. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  /**
   * How far each paced media packet's send interval strays from its period
   * (20 ms): |lateness of this tick - lateness of the one before|, per stream.
   */
  readonly mediaSendDeviation: CountingHistogram;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'telekommune' });
  collectDefaultMetrics({ register: registry, prefix: 'telekommune_' });
  const httpRequests = new Counter({
    name: 'telekommune_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'telekommune_http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const mediaSendDeviation = new CountingHistogram(
    'telekommune_media_send_interval_deviation_seconds',
    'Deviation of the interval between paced media packets (prompts, tones, echo) from their period',
    [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1],
  );
  registry.registerMetric(mediaSendDeviation as unknown as Metric);
  return { registry, httpRequests, httpDuration, mediaSendDeviation };
}

/**
 * A histogram without labels whose `observe` allocates nothing: counts in a
 * typed array, read out in prom-client's format when the registry is
 * scraped. prom-client's own Histogram makes a few objects per
 * observation, and this one is observed for every paced media packet
 * (25,000 a second with 500 prompts playing), which fed the collector.
 */
export class CountingHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly upperBounds: readonly number[],
  ) {
    this.counts = new Float64Array(upperBounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return;
    const bounds = this.upperBounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
  }

  async get() {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.upperBounds.length; i++) {
      cumulative += this.counts[i]!;
      values.push({
        labels: { le: this.upperBounds[i]! },
        value: cumulative,
        metricName: `${this.name}_bucket`,
      });
    }
    values.push({ labels: { le: '+Inf' }, value: this.count, metricName: `${this.name}_bucket` });
    values.push({ labels: {}, value: this.sum, metricName: `${this.name}_sum` });
    values.push({ labels: {}, value: this.count, metricName: `${this.name}_count` });
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
