import { Histogram, type Metric, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CountingHistogram } from './metrics.js';

describe('CountingHistogram', () => {
  it("exports exactly what prom-client's Histogram exports for the same observations", async () => {
    const bounds = [0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1];
    const ours = new Registry();
    const theirs = new Registry();
    for (const registry of [ours, theirs]) registry.setDefaultLabels({ service: 'telekommune' });
    const counting = new CountingHistogram('t_seconds', 'a test histogram', bounds);
    ours.registerMetric(counting as unknown as Metric);
    const reference = new Histogram({
      name: 't_seconds',
      help: 'a test histogram',
      buckets: bounds,
      registers: [theirs],
    });
    // Values on and between the bounds, below the first and past the last.
    const values = [0, 0.0001, 0.0005, 0.0007, 0.001, 0.0025, 0.003, 0.004, 0.02, 0.07, 0.1, 0.25, 3, 0.0015];
    for (const value of values) {
      counting.observe(value);
      reference.observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    // Reset, it reads as a histogram nothing was observed by (prom-client's own drops its series instead).
    counting.reset();
    const fresh = new Registry();
    fresh.setDefaultLabels({ service: 'telekommune' });
    new Histogram({ name: 't_seconds', help: 'a test histogram', buckets: bounds, registers: [fresh] });
    expect(await ours.metrics()).toBe(await fresh.metrics());
  });

  it('ignores a value that is not a finite number', async () => {
    const counting = new CountingHistogram('t_seconds', 'help', [1]);
    counting.observe(Number.NaN);
    counting.observe(Number.POSITIVE_INFINITY);
    const { values } = await counting.get();
    expect(values.at(-1)).toMatchObject({ metricName: 't_seconds_count', value: 0 });
  });
});
