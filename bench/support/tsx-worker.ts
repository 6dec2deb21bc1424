import { Worker } from 'node:worker_threads';

/** A worker thread running the TypeScript module at `entry` (a file URL) through tsx, with `workerData`. */
export function tsxWorker(entry: string, workerData: unknown): Worker {
  const code = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(code, { eval: true, workerData });
}
