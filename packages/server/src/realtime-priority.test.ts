import { describe, expect, it } from 'vitest';
import { type ProgramRunner, SCHED_RR, schedulingOf, setRealtimePriority } from './realtime-priority.js';

describe('setRealtimePriority', () => {
  it('runs chrt --rr on the process id', async () => {
    const calls: (readonly string[])[] = [];
    const run: ProgramRunner = async (file, args) => {
      calls.push([file, ...args]);
      return { code: 0, stderr: '' };
    };
    expect(await setRealtimePriority(10, { pid: 4242, run, platform: 'linux' })).toEqual({ ok: true });
    expect(calls).toEqual([['chrt', '--rr', '--pid', '10', '4242']]);
  });

  it("reports chrt's refusal and a missing chrt in one line", async () => {
    const refused: ProgramRunner = async () => ({
      code: 1,
      stderr: "chrt: failed to set pid 4242's policy: Operation not permitted\nmore",
    });
    expect(await setRealtimePriority(10, { pid: 4242, run: refused, platform: 'linux' })).toEqual({
      ok: false,
      reason: "chrt: failed to set pid 4242's policy: Operation not permitted",
    });
    const missing: ProgramRunner = async () => ({ code: -1, stderr: 'spawn chrt ENOENT' });
    expect(await setRealtimePriority(10, { run: missing, platform: 'linux' })).toEqual({
      ok: false,
      reason: 'chrt (util-linux) is not installed',
    });
  });

  it('refuses a priority out of range and other systems without running anything', async () => {
    const run: ProgramRunner = async () => {
      throw new Error('must not run');
    };
    expect((await setRealtimePriority(0, { run, platform: 'linux' })).ok).toBe(false);
    expect((await setRealtimePriority(100, { run, platform: 'linux' })).ok).toBe(false);
    expect(await setRealtimePriority(10, { run, platform: 'darwin' })).toEqual({
      ok: false,
      reason: 'real-time scheduling is only set on Linux',
    });
  });

  it.runIf(process.platform === 'linux')('reads a thread’s policy from /proc', async () => {
    const own = await schedulingOf(process.pid);
    expect(own.policy).not.toBe(SCHED_RR);
    expect(own.priority).toBe(0);
  });
});
