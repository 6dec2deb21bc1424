import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** The process's Prometheus registry and the metrics every part shares. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route'>;
  /**
   * How far each paced media packet's send interval strays from its period
   * (20 ms): |lateness of this tick - lateness of the one before|, per stream.
   */
  readonly mediaSendDeviation: Histogram<string>;
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
  const mediaSendDeviation = new Histogram({
    name: 'telekommune_media_send_interval_deviation_seconds',
    help: 'Deviation of the interval between paced media packets (prompts, tones, echo) from their period',
    buckets: [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1],
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration, mediaSendDeviation };
}
