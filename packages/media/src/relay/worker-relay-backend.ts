import { Worker } from 'node:worker_threads';
import { MediaError } from '../errors.js';
import type { PortRange } from '../session/port-allocator.js';
import type { PartyMedia, RelayBackend, RelayCallCounters, RelaySide } from './relay-backend.js';
import type { FromWorker, RelayWorkerData, ToWorker } from './relay-worker-protocol.js';

export interface WorkerRelayOptions {
  readonly threads: number;
  readonly bindAddress: string;
  readonly portRange: PortRange;
  readonly mediaTimeoutMs: number;
  readonly holdTimeoutMs: number;
  readonly receiveBufferSize: number;
  readonly onTimeout: (callId: string) => void;
  /** A worker died; its calls' media is gone (the B2BUA should end them). */
  readonly onWorkerError?: (error: Error) => void;
}

interface WorkerState {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  readonly calls: Set<string>;
  readonly pending: Map<
    number,
    { resolve: (ports: { a: number; b: number }) => void; reject: (e: Error) => void }
  >;
  portsInUse: number;
  readonly capacity: number;
  dead: boolean;
  osThreadId: number | undefined;
}

const COUNTERS_INTERVAL_MS = 500;
const START_TIMEOUT_MS = 20_000;

/**
 * The relay's sockets spread over worker threads, each a RelayCore on its
 * own slice of the port range. Forwarding then runs beside (not on) the
 * main thread's event loop, so SIP work never delays packets, and the relay
 * can use more than one core. Calls go to the least loaded worker; the
 * main thread keeps the SDP work and sees counters at most half a second
 * old.
 */
export class WorkerRelayBackend implements RelayBackend {
  private readonly workers: WorkerState[];
  private readonly owner = new Map<string, WorkerState>();
  private readonly counterCache = new Map<string, RelayCallCounters>();
  private nextId = 1;

  constructor(private readonly options: WorkerRelayOptions) {
    const threads = Math.max(1, Math.floor(options.threads));
    const { min, max } = options.portRange;
    const size = Math.floor((max - min + 1) / threads) & ~1;
    if (size < 8)
      throw new MediaError('invalid-argument', `port range too small for ${threads} relay threads`);
    this.workers = Array.from({ length: threads }, (_, i) =>
      this.spawn({ min: min + i * size, max: i === threads - 1 ? max : min + (i + 1) * size - 1 }),
    );
  }

  get portsInUse(): number {
    return this.workers.reduce((sum, w) => sum + w.portsInUse, 0);
  }

  get portCapacity(): number {
    return this.workers.reduce((sum, w) => sum + w.capacity, 0);
  }

  async threadIds(): Promise<readonly number[]> {
    await Promise.allSettled(this.workers.map((w) => w.ready));
    return this.workers.flatMap((w) => (w.dead || w.osThreadId === undefined ? [] : [w.osThreadId]));
  }

  async create(callId: string): Promise<{ a: number; b: number }> {
    const live = this.workers.filter((w) => !w.dead);
    if (live.length === 0) throw new MediaError('io-error', 'no relay worker is running');
    const target = live.reduce((best, w) => (w.calls.size < best.calls.size ? w : best));
    await target.ready;
    const id = this.nextId++;
    target.calls.add(callId);
    this.owner.set(callId, target);
    try {
      return await new Promise<{ a: number; b: number }>((resolve, reject) => {
        target.pending.set(id, { resolve, reject });
        this.post(target, { op: 'create', id, callId });
      });
    } catch (error) {
      target.calls.delete(callId);
      this.owner.delete(callId);
      throw error;
    }
  }

  setRemote(callId: string, side: RelaySide, media: PartyMedia): void {
    const owner = this.owner.get(callId);
    if (owner) this.post(owner, { op: 'remote', callId, side, media });
  }

  counters(callId: string): RelayCallCounters | undefined {
    return this.counterCache.get(callId);
  }

  release(callId: string): void {
    const owner = this.owner.get(callId);
    if (!owner) return;
    this.owner.delete(callId);
    this.counterCache.delete(callId);
    owner.calls.delete(callId);
    this.post(owner, { op: 'release', callId });
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (state) => {
        if (state.dead) return;
        const id = this.nextId++;
        const closed = new Promise<void>((resolve) => {
          state.pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
          state.worker.once('exit', () => resolve());
        });
        this.post(state, { op: 'close', id });
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
        await state.worker.terminate();
      }),
    );
  }

  private post(state: WorkerState, message: ToWorker): void {
    if (!state.dead) state.worker.postMessage(message);
  }

  private spawn(portRange: PortRange): WorkerState {
    const data: RelayWorkerData = {
      kind: 'telekommune-relay-worker',
      bindAddress: this.options.bindAddress,
      portRange,
      mediaTimeoutMs: this.options.mediaTimeoutMs,
      holdTimeoutMs: this.options.holdTimeoutMs,
      receiveBufferSize: this.options.receiveBufferSize,
      countersIntervalMs: COUNTERS_INTERVAL_MS,
    };
    const worker = createWorker(new URL('./relay-worker.ts', import.meta.url), data);
    let markReady!: () => void;
    let failReady!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    const timer = setTimeout(
      () => failReady(new MediaError('io-error', 'relay worker did not start')),
      START_TIMEOUT_MS,
    );
    ready.catch(() => {});
    const state: WorkerState = {
      worker,
      ready,
      calls: new Set(),
      pending: new Map(),
      portsInUse: 0,
      capacity: Math.floor((portRange.max - portRange.min + 1) / 2) * 2,
      dead: false,
      osThreadId: undefined,
    };
    worker.on('message', (message: FromWorker) => {
      switch (message.op) {
        case 'ready':
          clearTimeout(timer);
          state.osThreadId = message.osThreadId;
          markReady();
          break;
        case 'reply': {
          const waiter = state.pending.get(message.id);
          state.pending.delete(message.id);
          if (!waiter) break;
          if (message.error) waiter.reject(new MediaError(message.error.code, message.error.message));
          else waiter.resolve(message.ports ?? { a: 0, b: 0 });
          break;
        }
        case 'timeout':
          if (this.owner.get(message.callId) === state) this.options.onTimeout(message.callId);
          break;
        case 'counters':
          state.portsInUse = message.portsInUse;
          for (const [callId, counters] of message.calls) {
            if (this.owner.get(callId) === state) this.counterCache.set(callId, counters);
          }
          break;
      }
    });
    const die = (error: Error) => {
      if (state.dead) return;
      state.dead = true;
      clearTimeout(timer);
      failReady(error);
      for (const waiter of state.pending.values()) waiter.reject(error);
      state.pending.clear();
      // Its calls have no media any more: report them as timed out so the B2BUA ends them.
      for (const callId of state.calls) this.options.onTimeout(callId);
      this.options.onWorkerError?.(error);
    };
    worker.on('error', die);
    worker.on('exit', (code) => {
      if (code !== 0) die(new MediaError('io-error', `relay worker exited with code ${code}`));
      else state.dead = true;
    });
    worker.unref();
    return state;
  }
}

/**
 * Starts a worker on a module of this package. The sources are TypeScript
 * run through tsx (as the server and the tests run them); a worker thread
 * does not inherit the main thread's loader, so it registers tsx itself
 * before importing the module. Compiled (.js) modules start directly.
 */
function createWorker(moduleUrl: URL, workerData: unknown): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, { workerData });
  const tsxApi = resolveTsxApi();
  const code = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}

function resolveTsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch (error) {
    throw new MediaError('io-error', 'relay threads need tsx to run the TypeScript sources in a worker', {
      cause: error,
    });
  }
}
