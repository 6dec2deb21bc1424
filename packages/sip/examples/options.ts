import { createRequest, createSipStack } from '@telekommune/sip';

// A UAS that answers OPTIONS with 200 and anything else with 405.
const uas = await createSipStack({
  listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
  handlers: {
    onRequest(request, transaction) {
      const allow: [string, string] = ['Allow', 'OPTIONS'];
      transaction.reply(request.method === 'OPTIONS' ? 200 : 405, { headers: [allow] });
    },
  },
});
const port = uas.listeners[0]!.port;

// A UAC that sends one OPTIONS to it and prints the answer.
const uac = await createSipStack({
  listen: [{ protocol: 'udp', address: '127.0.0.1', port: 0 }],
  handlers: { onRequest: (_request, transaction) => void transaction.reply(481) },
});
const options = createRequest({
  method: 'OPTIONS',
  uri: `sip:ping@127.0.0.1:${port}`,
  from: uac.contactUri('udp', 'uac'),
});
const response = await uac.request(options); // resolves with the final response
console.log(response.status, response.reason, '- Allow:', response.allow.join(', '));

await uac.close();
await uas.close();
