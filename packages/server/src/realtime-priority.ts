import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

/** Highest priority SCHED_RR takes on Linux. */
export const MAX_REALTIME_PRIORITY = 99;

export type RealtimeOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Runs a program and resolves with its exit code and standard error (never rejects). */
export type ProgramRunner = (
  file: string,
  args: readonly string[],
) => Promise<{ code: number; stderr: string }>;

const runProgram: ProgramRunner = (file, args) =>
  new Promise((resolve) => {
    execFile(file, args, { timeout: 5000 }, (error, _stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      const text = String(stderr).trim() || (error === null ? '' : error.message);
      resolve({ code, stderr: text });
    });
  });

/**
 * Puts a thread of this process (default: the main thread) under the real-time round-robin
 * scheduler (SCHED_RR) at `priority`, as Asterisk (`-p`) and FreeSWITCH
 * (`-rp`) do for their media: the main thread runs the media clock, every
 * prompt player and recorder, and the RTP relay unless it has threads of
 * its own, and under the normal scheduler it waits behind other runnable
 * threads (a phone's receiver woken by our own packets, other processes)
 * often enough to make prompt packets late by several milliseconds.
 *
 * Node.js has no call for it, so this runs util-linux's `chrt` on the
 * thread's id (the process id is the main thread's; relay worker threads
 * report theirs, `RtpRelay.threadIds`). It needs CAP_SYS_NICE
 * (root, or `AmbientCapabilities=CAP_SYS_NICE` in a systemd unit); the
 * kernel's real-time throttling (`sched_rt_runtime_us`, 95 % of each
 * second by default) keeps a runaway thread from locking up the machine.
 */
export async function setRealtimePriority(
  priority: number,
  options: { readonly pid?: number; readonly run?: ProgramRunner; readonly platform?: string } = {},
): Promise<RealtimeOutcome> {
  if (!Number.isInteger(priority) || priority < 1 || priority > MAX_REALTIME_PRIORITY) {
    return { ok: false, reason: `priority ${priority} is not from 1 to ${MAX_REALTIME_PRIORITY}` };
  }
  if ((options.platform ?? process.platform) !== 'linux') {
    return { ok: false, reason: 'real-time scheduling is only set on Linux' };
  }
  const pid = options.pid ?? process.pid;
  const result = await (options.run ?? runProgram)('chrt', ['--rr', '--pid', String(priority), String(pid)]);
  if (result.code === 0) return { ok: true };
  const why = /ENOENT/.test(result.stderr)
    ? 'chrt (util-linux) is not installed'
    : result.stderr.split('\n')[0] || `chrt exited with ${result.code}`;
  return { ok: false, reason: why };
}

/** The scheduling policy and real-time priority of a thread, from /proc (Linux). */
export async function schedulingOf(pid: number): Promise<{ policy: number; priority: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 40 (rt_priority) and 41 (policy) of proc(5), here offset by the two skipped.
  return { priority: Number(fields[40 - 3]), policy: Number(fields[41 - 3]) };
}

/** SCHED_RR's number in proc(5) and sched(7). */
export const SCHED_RR = 2;
