import { describe, expect, it } from 'vitest';
import { ReceiveStatistics } from './receive-statistics.js';

describe('ReceiveStatistics (RFC 3550 A.1, A.3, A.8)', () => {
  it('extends sequence numbers across the 16-bit wrap', () => {
    const stats = new ReceiveStatistics(8000);
    let seq = 65530;
    for (let i = 0; i < 20; i++) stats.update((seq + i) & 0xffff, i * 160, i * 20);
    expect(stats.extendedHighestSequence).toBe(65530 + 19);
    expect(stats.expected).toBe(20);
    expect(stats.lost).toBe(0);
    seq = 0;
    expect(seq).toBe(0);
  });

  it('counts losses and the fraction lost per report interval', () => {
    const stats = new ReceiveStatistics(8000);
    for (let i = 0; i < 100; i++) if (i % 4 !== 3) stats.update(1000 + i, i * 160, i * 20);
    // 100 expected (1000..1099, the last one 1098 received, so 99 expected), 75 received.
    expect(stats.expected).toBe(99);
    expect(stats.received).toBe(75);
    const report = stats.report();
    expect(report.cumulativeLost).toBe(24);
    expect(report.fractionLost).toBe(Math.floor((24 * 256) / 99));
    // The next interval: 1099 was lost too, then 50 arrive (1100..1149): 1 of 51.
    for (let i = 100; i < 150; i++) stats.update(1000 + i, i * 160, i * 20);
    expect(stats.report().fractionLost).toBe(Math.floor(256 / 51));
    for (let i = 150; i < 200; i++) stats.update(1000 + i, i * 160, i * 20);
    expect(stats.report().fractionLost).toBe(0);
  });

  it('treats reordered and duplicate packets as late, not as restarts', () => {
    const stats = new ReceiveStatistics(8000);
    expect(stats.update(10, 0, 0)).toBe('in-order');
    expect(stats.update(12, 320, 40)).toBe('in-order');
    expect(stats.update(11, 160, 41)).toBe('late');
    expect(stats.update(12, 320, 42)).toBe('late');
    expect(stats.reordered).toBe(1);
    expect(stats.lost).toBe(-1); // a duplicate offsets a loss, as A.3 says
  });

  it('needs two sequential packets to accept a restarted sequence', () => {
    const stats = new ReceiveStatistics(8000);
    for (let i = 0; i < 5; i++) stats.update(100 + i, i * 160, i * 20);
    expect(stats.update(40000, 0, 200)).toBe('bad-jump');
    expect(stats.update(40001, 160, 220)).toBe('restart');
    expect(stats.update(40002, 320, 240)).toBe('in-order');
    expect(stats.expected).toBe(2);
    expect(stats.lost).toBe(0);
  });

  it('measures zero jitter for perfectly paced packets and some for uneven arrival', () => {
    const even = new ReceiveStatistics(8000);
    for (let i = 0; i < 200; i++) even.update(i, i * 160, 1000 + i * 20);
    expect(even.jitter).toBe(0);
    const uneven = new ReceiveStatistics(8000);
    for (let i = 0; i < 200; i++) uneven.update(i, i * 160, 1000 + i * 20 + (i % 2 ? 5 : 0));
    // Transit alternates by 5 ms = 40 units; the estimate converges to 40.
    expect(uneven.jitter).toBeGreaterThan(35);
    expect(uneven.jitter).toBeLessThanOrEqual(40);
  });
});
