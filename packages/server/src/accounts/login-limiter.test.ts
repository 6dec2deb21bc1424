import { describe, expect, it } from 'vitest';
import { addressKey, LoginLimiter } from './login-limiter.js';

const limits = { perAccountFailures: 3, perAddressFailures: 5, window_ms: 60_000, maxTrackedKeys: 4 };

describe('LoginLimiter', () => {
  it('refuses a user name after its failures, until the oldest leaves the window', () => {
    let now = 1_000_000;
    const limiter = new LoginLimiter(limits, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.check('Alice', '10.0.0.1')).toEqual({ ok: true });
      limiter.failed('Alice', `10.0.0.${i + 1}`);
      now += 1_000;
    }
    expect(limiter.check('alice', '10.0.0.9')).toEqual({ ok: false, retryAfter_s: 57 });
    now += 57_000;
    expect(limiter.check('alice', '10.0.0.9')).toEqual({ ok: true });
  });

  it('refuses an address after its failures across user names', () => {
    const limiter = new LoginLimiter(limits, () => 0);
    for (let i = 0; i < 5; i++) limiter.failed(`user${i}`, '192.0.2.7');
    expect(limiter.check('someone-new', '192.0.2.7')).toMatchObject({ ok: false });
    expect(limiter.check('someone-new', '192.0.2.8')).toEqual({ ok: true });
  });

  it('clears a user name on success but not its address', () => {
    const limiter = new LoginLimiter(limits, () => 0);
    limiter.failed('bob', '192.0.2.1');
    limiter.failed('bob', '192.0.2.1');
    limiter.succeeded('bob');
    limiter.failed('bob', '192.0.2.1');
    limiter.failed('bob', '192.0.2.1');
    expect(limiter.check('bob', '192.0.2.2')).toEqual({ ok: true });
    limiter.failed('bob', '192.0.2.1');
    expect(limiter.check('carol', '192.0.2.1')).toMatchObject({ ok: false });
  });

  it('remembers a bounded number of keys, forgetting the oldest', () => {
    const limiter = new LoginLimiter(limits, () => 0);
    for (let i = 0; i < 100; i++) limiter.failed(`user${i}`, `198.51.100.${i}`);
    expect(limiter.tracked).toEqual({ accounts: 4, addresses: 4 });
  });
});

describe('addressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6 and groups IPv6 by /64', () => {
    expect(addressKey('203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('::ffff:203.0.113.5')).toBe('203.0.113.5');
    expect(addressKey('2001:db8:0:1:aaaa::1')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:0db8:0000:0001:ffff:1:2:3')).toBe('2001:db8:0:1::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});
