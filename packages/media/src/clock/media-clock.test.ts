import { describe, expect, it } from 'vitest';
import { ManualClock } from './manual-clock.js';
import { MediaClock, type PacedTick } from './media-clock.js';

function setup(lateness: () => number = () => 0, startMs = 1000) {
  const manual = new ManualClock(startMs, lateness);
  const clock = new MediaClock({ clock: manual, timers: manual });
  return { manual, clock };
}

describe('MediaClock', () => {
  it('runs tick n at start + n x 20 ms', () => {
    const { manual, clock } = setup();
    const ticks: PacedTick[] = [];
    clock.schedule((tick) => ticks.push({ ...tick }), 20, 1000);
    manual.advance(200);
    expect(ticks.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(ticks.map((t) => t.dueMs)).toEqual(ticks.map((_, n) => 1000 + n * 20));
    expect(ticks.every((t) => t.lateMs === 0)).toBe(true);
  });

  it('does not accumulate drift when every wake-up is late', () => {
    // Each timer fires 0-1.9 ms late (a busy event loop); a chained
    // setTimeout(20) would drift by the sum of those delays.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const { manual, clock } = setup(() => random() * 1.9);
    const sentAt: number[] = [];
    clock.schedule(() => sentAt.push(manual.now()), 20, 1000);
    manual.advance(60_000);
    expect(sentAt.length).toBeGreaterThanOrEqual(2999);
    const lateness = sentAt.map((t, n) => t - (1000 + n * 20));
    expect(Math.max(...lateness)).toBeLessThan(3);
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    // The last packet is as close to its ideal time as the first ones.
    expect(lateness.at(-1)!).toBeLessThan(3);
  });

  it("reports each tick's interval deviation: this tick's lateness minus the previous one's", () => {
    const lateness = [0, 1.5, 0.25, 3, 0];
    let wake = 0;
    const { manual, clock } = setup(() => lateness[wake++ % lateness.length]!);
    const ticks: PacedTick[] = [];
    clock.schedule((tick) => ticks.push({ ...tick }), 20, 1000);
    manual.advance(95);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks[0]!.intervalDeviationMs).toBeUndefined();
    for (let n = 1; n < ticks.length; n++) {
      expect(ticks[n]!.intervalDeviationMs).toBeCloseTo(ticks[n]!.lateMs - ticks[n - 1]!.lateMs, 9);
    }
    expect(ticks.some((t) => (t.intervalDeviationMs ?? 0) !== 0)).toBe(true);
  });

  it('with batched slots, wakes once per slot and keeps every interval exact', () => {
    const { manual } = setup();
    const clock = new MediaClock({ clock: manual, timers: manual, resolutionMs: 5, batchSlots: true });
    const runs = new Map<number, number[]>();
    const wakes = new Set<number>();
    for (let i = 0; i < 40; i++) {
      runs.set(i, []);
      clock.schedule(
        (tick) => {
          runs.get(i)!.push(manual.now());
          wakes.add(manual.now());
          expect(tick.lateMs).toBeGreaterThanOrEqual(0);
          if (tick.intervalDeviationMs !== undefined) expect(tick.intervalDeviationMs).toBeCloseTo(0, 9);
        },
        20,
        1000 + i * 0.5,
      );
    }
    manual.advance(400);
    for (const times of runs.values()) {
      expect(times.length).toBeGreaterThanOrEqual(19);
      for (let n = 1; n < times.length; n++) expect(times[n]! - times[n - 1]!).toBeCloseTo(20, 9);
    }
    // 40 phases over 20 ms, 5 ms slots: four wake-ups per 20 ms, each at a slot's start.
    expect([...wakes].every((t) => t % 5 === 0)).toBe(true);
    expect(wakes.size).toBeLessThanOrEqual(4 * 21);
  });

  it('with a precise wake-up, wakes early on the timer and waits out the rest, so a late timer costs nothing', () => {
    // Timers land up to 0.9 ms late, as Node's whole-millisecond timers do.
    let n = 0;
    const manual = new ManualClock(0, () => ((n++ * 0.37) % 1) * 0.9);
    const clock = new MediaClock({
      clock: manual,
      timers: manual,
      resolutionMs: 5,
      batchSlots: true,
      preciseWakeMs: 1,
    });
    const late: number[] = [];
    for (let i = 0; i < 8; i++) clock.schedule((tick) => late.push(tick.lateMs), 20, 100 + i * 2.5);
    manual.advance(500);
    expect(late.length).toBeGreaterThan(150);
    // Every slot runs at its start exactly: tasks never late, early by their offset within the slot.
    expect(Math.max(...late)).toBe(0);
    expect(manual.slept).toBeGreaterThan(0);
    // Without it the same timers make ticks late.
    const manual2 = new ManualClock(0, () => ((n++ * 0.37) % 1) * 0.9);
    const plain = new MediaClock({ clock: manual2, timers: manual2, resolutionMs: 5, batchSlots: true });
    const late2: number[] = [];
    for (let i = 0; i < 8; i++) plain.schedule((tick) => late2.push(tick.lateMs), 20, 100 + i * 2.5);
    manual2.advance(500);
    expect(Math.max(...late2)).toBeGreaterThan(0.1);
  });

  it('runs tasks of one slot in the same order every tick (each keeps its phase)', () => {
    const { manual, clock } = setup(() => 0.4);
    const order: number[] = [];
    for (let i = 0; i < 5; i++) clock.schedule(() => order.push(i), 20, 1000 + i * 0.1);
    manual.advance(200);
    expect(order.length).toBeGreaterThanOrEqual(50);
    for (let k = 0; k + 5 <= order.length; k += 5) expect(order.slice(k, k + 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('drives hundreds of tasks at different phases from one timer', () => {
    const { manual, clock } = setup();
    const counts = new Array<number>(500).fill(0);
    let maxLate = 0;
    for (let i = 0; i < 500; i++) {
      clock.schedule(
        (tick) => {
          counts[i]!++;
          maxLate = Math.max(maxLate, tick.lateMs);
        },
        20,
        1000 + (i % 20) + i / 1000,
      );
    }
    expect(clock.size).toBe(500);
    manual.advance(10_000);
    // 10 s at 50 ticks/s, give or take the phase at the edges.
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(499);
    expect(Math.max(...counts)).toBeLessThanOrEqual(501);
    // Under a punctual timer every tick runs exactly on time.
    expect(maxLate).toBe(0);
    expect(manual.pendingTimers).toBe(1);
  });

  it('starts new streams in the least crowded slot of the period, so calls set up together do not tick together', () => {
    const { manual, clock } = setup(() => 0, 1000);
    // A load generator's steady 50 calls/s: every call is answered at the same point of the 20 ms cycle.
    const starts: number[] = [];
    const tasks = [];
    for (let call = 0; call < 100; call++) {
      const start = clock.quietStart(20, manual.now() + 20);
      starts.push(start);
      tasks.push(clock.schedule(() => undefined, 20, start));
      manual.advance(20);
    }
    const perSlot = new Array<number>(20).fill(0);
    for (const start of starts) perSlot[Math.floor(start % 20)]!++;
    expect(perSlot).toEqual(new Array(20).fill(5));
    // Never later than one period after the earliest allowed start.
    expect(starts.every((start, call) => start >= 1020 + call * 20 && start < 1040 + call * 20)).toBe(true);
    // A slot emptied by hang-ups is the next one filled.
    const t = manual.now();
    for (const [call, start] of starts.entries()) if (Math.floor(start % 20) === 7) tasks[call]!.cancel();
    expect(Math.floor(clock.quietStart(20, t + 20) % 20)).toBe(7);
    // The earliest start when it is as quiet as any, and any start for a period of no whole slots.
    const idle = setup(() => 0, 1000);
    expect(idle.clock.quietStart(20, 1033.5)).toBe(1033.5);
    idle.clock.schedule(() => undefined, 20.5, 1000);
    expect(idle.clock.quietStart(20.5, 1000)).toBe(1000);
  });

  it('forgets stopped tasks when choosing a quiet start', () => {
    const { clock } = setup(() => 0, 1000);
    for (let i = 0; i < 3; i++) clock.schedule(() => undefined, 20, 1020);
    expect(clock.quietStart(20, 1020)).toBe(1021);
    clock.stop();
    expect(clock.quietStart(20, 1020)).toBe(1020);
  });

  it('cancels tasks and stops its timer when idle', () => {
    const { manual, clock } = setup();
    let a = 0;
    let b = 0;
    const taskA = clock.schedule(() => a++, 20, 1000);
    const taskB = clock.schedule(() => b++, 20, 1010);
    manual.advance(100);
    taskA.cancel();
    manual.advance(100);
    expect(a).toBe(6);
    expect(b).toBe(10);
    taskB.cancel();
    expect(clock.size).toBe(0);
    manual.advance(100);
    expect(b).toBe(10);
    expect(manual.pendingTimers).toBe(0);
  });

  it('catches up after a stall with slightly short intervals instead of a burst, and skips a long stall', () => {
    const { manual, clock } = setup();
    const ran: { index: number; at: number }[] = [];
    clock.schedule((tick) => ran.push({ index: tick.index, at: manual.now() }), 20, 1000);
    manual.advance(0);
    expect(ran).toHaveLength(1);
    // Block the "event loop": jump the clock without firing timers.
    (manual as unknown as { time: number }).time += 65; // tick 1 is 45 ms late
    manual.advance(1000);
    const intervals = ran.slice(1).map((r, i) => r.at - ran[i]!.at);
    expect(intervals[0]).toBe(65); // the late tick, alone
    // Then 18 ms intervals until back on the 20 ms grid (45 ms of lag: 23 ticks), then exactly 20.
    const catchUp = intervals.slice(1);
    expect(catchUp.every((d) => d >= 18 && d <= 20)).toBe(true);
    expect(catchUp.indexOf(20)).toBe(23);
    const last = ran.at(-1)!;
    expect(last.at).toBe(1000 + last.index * 20);
    expect(clock.ticksSkipped).toBe(0);
    // No tick index was lost: the stream's timestamps stay continuous.
    expect(ran.map((r) => r.index)).toEqual(ran.map((_, i) => i));

    (manual as unknown as { time: number }).time += 1000; // 50 ticks late
    manual.advance(0);
    expect(clock.ticksSkipped).toBeGreaterThan(40);
    expect(clock.ticksSkipped).toBeLessThanOrEqual(50);
    manual.advance(2000);
    const tail = ran.at(-1)!;
    expect(tail.at).toBe(1000 + tail.index * 20);
  });

  it('isolates a throwing task', () => {
    const errors: unknown[] = [];
    const manual = new ManualClock(0);
    const clock = new MediaClock({ clock: manual, timers: manual, onError: (e) => errors.push(e) });
    let good = 0;
    clock.schedule(() => {
      throw new Error('boom');
    }, 20);
    clock.schedule(() => good++, 20);
    manual.advance(100);
    expect(errors).toHaveLength(1);
    expect(good).toBe(5);
    expect(clock.size).toBe(1);
  });

  it('handles periods longer than the wheel', () => {
    const { manual, clock } = setup();
    const at: number[] = [];
    clock.schedule(() => at.push(manual.now()), 250, 1000);
    manual.advance(1000);
    expect(at).toEqual([1000, 1250, 1500, 1750, 2000]);
  });
});
