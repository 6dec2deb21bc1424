import { describe, expect, it } from 'vitest';
import { SecurityMonitor } from './security-monitor.js';

describe('SecurityMonitor', () => {
  const setup = (limits: Partial<ConstructorParameters<typeof SecurityMonitor>[0]> = {}) => {
    let now = 1_000_000;
    const bans: [string, number][] = [];
    const monitor = new SecurityMonitor(
      { maxFailures: 3, window_ms: 60_000, ban_ms: 300_000, maxTracked: 100, ...limits },
      () => now,
      (address, failures) => bans.push([address, failures]),
    );
    return { monitor, bans, advance: (ms: number) => (now += ms) };
  };

  it('bans an address at the failure limit within the window, until the ban runs out', () => {
    const { monitor, bans, advance } = setup();
    monitor.authFailed('192.0.2.1', 'alice');
    monitor.authFailed('192.0.2.1', 'alice');
    expect(monitor.shouldDrop('192.0.2.1', undefined)).toBe(false);
    monitor.authFailed('192.0.2.1', 'bob');
    expect(bans).toEqual([['192.0.2.1', 3]]);
    expect(monitor.shouldDrop('192.0.2.1', 'desk-phone')).toBe(true);
    expect(monitor.shouldDrop('192.0.2.2', 'desk-phone')).toBe(false);
    expect(monitor.banned()).toEqual([{ address: '192.0.2.1', until_ms: 1_300_000 }]);
    // A success while banned does not lift the ban.
    monitor.authSucceeded('192.0.2.1');
    expect(monitor.shouldDrop('192.0.2.1', undefined)).toBe(true);
    advance(300_001);
    expect(monitor.shouldDrop('192.0.2.1', undefined)).toBe(false);
    expect(monitor.banned()).toEqual([]);
  });

  it('forgets failures spread wider than the window, and after a success', () => {
    const { monitor, advance } = setup();
    monitor.authFailed('192.0.2.1', 'alice');
    monitor.authFailed('192.0.2.1', 'alice');
    advance(60_001);
    monitor.authFailed('192.0.2.1', 'alice');
    expect(monitor.shouldDrop('192.0.2.1', undefined)).toBe(false);
    monitor.authFailed('192.0.2.3', 'carol');
    monitor.authFailed('192.0.2.3', 'carol');
    monitor.authSucceeded('192.0.2.3');
    monitor.authFailed('192.0.2.3', 'carol');
    expect(monitor.shouldDrop('192.0.2.3', undefined)).toBe(false);
  });

  it('never answers known scanners, banned or not, and lifts a ban on request', () => {
    const { monitor } = setup({ maxFailures: 1 });
    expect(monitor.shouldDrop('198.51.100.1', 'friendly-scanner')).toBe(true);
    expect(monitor.shouldDrop('198.51.100.1', 'sipvicious 0.3')).toBe(true);
    expect(monitor.shouldDrop('198.51.100.1', 'Yealink SIP-T46S')).toBe(false);
    monitor.authFailed('198.51.100.2', undefined);
    expect(monitor.unban('198.51.100.2')).toBe(true);
    expect(monitor.shouldDrop('198.51.100.2', undefined)).toBe(false);
    expect(monitor.unban('198.51.100.2')).toBe(false);
  });

  it('tracks a bounded number of addresses, forgetting the oldest', () => {
    const { monitor } = setup({ maxFailures: 2, maxTracked: 2 });
    monitor.authFailed('10.0.0.1', undefined);
    monitor.authFailed('10.0.0.2', undefined);
    monitor.authFailed('10.0.0.3', undefined);
    // 10.0.0.1 was forgotten: its next failure is its first again.
    monitor.authFailed('10.0.0.1', undefined);
    expect(monitor.shouldDrop('10.0.0.1', undefined)).toBe(false);
    monitor.authFailed('10.0.0.3', undefined);
    expect(monitor.shouldDrop('10.0.0.3', undefined)).toBe(true);
  });
});
