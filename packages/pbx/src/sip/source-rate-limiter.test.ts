import { describe, expect, it } from 'vitest';
import { SourceRateLimiter } from './source-rate-limiter.js';

describe('SourceRateLimiter', () => {
  const setup = (perSecond: number, burst?: number, maxTracked?: number) => {
    let now = 0;
    const throttled: string[] = [];
    const limiter = new SourceRateLimiter(
      {
        perSecond,
        ...(burst !== undefined ? { burst } : {}),
        ...(maxTracked !== undefined ? { maxTracked } : {}),
      },
      () => now,
      (address) => throttled.push(address),
    );
    const takeMany = (address: string, n: number) =>
      Array.from({ length: n }, () => limiter.take(address)).filter(Boolean).length;
    return { limiter, throttled, takeMany, advance: (ms: number) => (now += ms) };
  };

  it('lets a burst through, then the rate, per address', () => {
    const { limiter, throttled, takeMany, advance } = setup(10);
    expect(takeMany('192.0.2.1', 50)).toBe(20);
    expect(throttled).toEqual(['192.0.2.1']);
    // Another address has its own allowance.
    expect(takeMany('192.0.2.2', 5)).toBe(5);
    advance(500);
    expect(takeMany('192.0.2.1', 50)).toBe(5);
    advance(10_000);
    expect(takeMany('192.0.2.1', 50)).toBe(20);
    // Said once per spell of throttling, again after it was let through.
    expect(throttled).toEqual(['192.0.2.1', '192.0.2.1', '192.0.2.1']);
    expect(limiter.dropped).toBe(30 + 45 + 30);
  });

  it('is off at 0 per second', () => {
    const { takeMany, throttled } = setup(0);
    expect(takeMany('192.0.2.1', 10_000)).toBe(10_000);
    expect(throttled).toEqual([]);
  });

  it('forgets the least recently seen address past its bound (which then starts afresh)', () => {
    const { takeMany } = setup(1, 2, 2);
    expect(takeMany('10.0.0.1', 5)).toBe(2);
    expect(takeMany('10.0.0.2', 5)).toBe(2);
    expect(takeMany('10.0.0.3', 5)).toBe(2);
    expect(takeMany('10.0.0.1', 5)).toBe(2);
    // 10.0.0.3 was seen more recently than 10.0.0.2, so it is still tracked (and empty).
    expect(takeMany('10.0.0.3', 5)).toBe(0);
  });
});
