/**
 * Our RTP relay in its own process for bench/rtp-relay.ts (so its CPU is
 * measured apart from the load generator; RELAY_THREADS worker threads
 * own the sockets when set), controlled over the Node IPC
 * channel: `{ id, op: 'create', callId, callerPort, calleePort }` answers
 * with the relay ports each party sends to; `{ id, op: 'release-all' }`.
 */
import { RtpRelay } from '@telekommune/media';
import { audioSdp, sdpAudioTarget } from './rtp-ng.js';

const min = Number(process.env.RELAY_PORT_MIN ?? 44000);
const max = Number(process.env.RELAY_PORT_MAX ?? 52000);
const threads = Number(process.env.RELAY_THREADS ?? 0);
const relay = new RtpRelay({
  bindAddress: '127.0.0.1',
  portRange: { min, max },
  maxCalls: 5000,
  receiveBufferSize: 1024 * 1024,
  threads,
});

interface Request {
  id: number;
  op: 'create' | 'release-all' | 'stats';
  callId?: string;
  callerPort?: number;
  calleePort?: number;
}

process.on('message', (raw) => {
  const request = raw as Request;
  void handle(request).then(
    (result) => process.send?.({ id: request.id, ok: true, result }),
    (error: unknown) => process.send?.({ id: request.id, ok: false, error: String(error) }),
  );
});

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case 'create': {
      const call = await relay.createCall(request.callId!);
      const toCallee = call.rewrite('a', audioSdp(request.callerPort!));
      const toCaller = call.rewrite('b', audioSdp(request.calleePort!));
      if (!toCallee.ok || !toCaller.ok) throw new Error('rewrite failed');
      return { callerSendsTo: sdpAudioTarget(toCaller.sdp), calleeSendsTo: sdpAudioTarget(toCallee.sdp) };
    }
    case 'release-all': {
      let packets = 0;
      let lost = 0;
      for (const call of relay.listCalls()) {
        const stats = call.stats();
        packets += stats.a.packetsIn + stats.b.packetsIn;
        lost += stats.a.lostIn + stats.b.lostIn;
        call.release();
      }
      return { packets, lost, remaining: relay.stats().calls };
    }
    case 'stats':
      return relay.stats();
  }
}

process.on('disconnect', () => {
  void relay.close().then(() => process.exit(0));
});
process.send?.({ id: 0, ok: true, result: 'ready' });
