import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { UdpTransport } from './udp-transport.js';

/** A plain UDP socket that records what it receives, and a transport to send to it. */
async function transportAndPeer() {
  const received: string[] = [];
  const peer = createSocket('udp4');
  peer.on('message', (data) => received.push(data.toString()));
  await new Promise<void>((resolve) => peer.bind(0, '127.0.0.1', resolve));
  const transport = await UdpTransport.listen({ address: '127.0.0.1', port: 0 }, { receive() {} });
  const destination = { address: '127.0.0.1', port: peer.address().port };
  return { received, peer, transport, destination };
}

describe('UdpTransport', () => {
  it('sends what one turn of the loop queued together, in order, and settles every send', async () => {
    const { received, peer, transport, destination } = await transportAndPeer();
    try {
      const sends = ['one', 'two', 'three'].map((text) => transport.send(Buffer.from(text), destination));
      // Nothing leaves before the loop turn ends.
      expect(received).toEqual([]);
      await Promise.all(sends);
      await expect.poll(() => received).toEqual(['one', 'two', 'three']);
    } finally {
      await transport.close();
      peer.close();
    }
  });

  it('still sends what was queued before close, and refuses sends after it', async () => {
    const { received, peer, transport, destination } = await transportAndPeer();
    const queued = transport.send(Buffer.from('last words'), destination);
    await transport.close();
    await queued;
    await expect(transport.send(Buffer.from('too late'), destination)).rejects.toThrow(/closed/);
    await expect.poll(() => received).toEqual(['last words']);
    peer.close();
  });
});
