/**
 * Entry point of a relay worker thread (see WorkerRelayBackend): a RelayCore
 * on its share of the port range, driven by messages from the main thread.
 */
import { readlinkSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { MediaError } from '../errors.js';
import { RelayCore } from './relay-core.js';
import type { FromWorker, RelayWorkerData, ToWorker } from './relay-worker-protocol.js';

function start(port: NonNullable<typeof parentPort>, data: RelayWorkerData): void {
  const send = (message: FromWorker) => port.postMessage(message);
  const core = new RelayCore({
    bindAddress: data.bindAddress,
    portRange: data.portRange,
    mediaTimeoutMs: data.mediaTimeoutMs,
    holdTimeoutMs: data.holdTimeoutMs,
    receiveBufferSize: data.receiveBufferSize,
    onTimeout: (callId) => send({ op: 'timeout', callId }),
  });
  const countersTimer = setInterval(() => {
    if (core.callCount > 0) send({ op: 'counters', calls: core.allCounters(), portsInUse: core.portsInUse });
  }, data.countersIntervalMs);
  port.on('message', (message: ToWorker) => {
    switch (message.op) {
      case 'create':
        core.create(message.callId).then(
          (ports) => {
            send({ op: 'counters', calls: [], portsInUse: core.portsInUse });
            send({ op: 'reply', id: message.id, ports });
          },
          (error: unknown) =>
            send({
              op: 'reply',
              id: message.id,
              error: {
                code: error instanceof MediaError ? error.code : 'io-error',
                message: error instanceof Error ? error.message : String(error),
              },
            }),
        );
        break;
      case 'remote':
        core.setRemote(message.callId, message.side, message.media);
        break;
      case 'release':
        core.release(message.callId);
        if (core.callCount === 0) send({ op: 'counters', calls: [], portsInUse: core.portsInUse });
        break;
      case 'close':
        clearInterval(countersTimer);
        void core.close().then(() => {
          send({ op: 'reply', id: message.id });
          port.close();
        });
        break;
    }
  });
  send({ op: 'ready', osThreadId: osThreadId() });
}

/**
 * This thread's id in the operating system (Linux: /proc/thread-self links
 * to <pid>/task/<tid>), so the process can set its scheduling; undefined
 * elsewhere.
 */
function osThreadId(): number | undefined {
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(id) && id > 0 ? id : undefined;
  } catch {
    return undefined;
  }
}

const data = workerData as RelayWorkerData | undefined;
if (parentPort && data?.kind === 'telekommune-relay-worker') start(parentPort, data);
