/**
 * The bench UAS of bench/sip-uas.ts: a minimal registrar on @telekommune/sip
 * (contacts in memory, like the Kamailio peer's usrloc) that also answers
 * OPTIONS with 200. Run as its own process; prints `ready PORT`.
 *
 *   node --import tsx bench/sip-uas-server.ts PORT
 */
import { createSipStack, formatUri } from '@telekommune/sip';

const port = Number(process.argv[2] ?? 5080);
const MAX_BINDINGS = 2_000_000;
const bindings = new Map<string, { contact: string; expires_ms: number }>();

const stack = await createSipStack({
  listen: [{ protocol: 'udp', address: '127.0.0.1', port }],
  // Timer J keeps every answered REGISTER for 32 s: allow the bench's peak.
  limits: { transaction: { maxServerTransactions: 2_000_000 } },
  handlers: {
    onRequest(request, tx) {
      if (request.method === 'REGISTER') {
        const to = request.to.uri;
        const aor = to.kind === 'sip' ? `${to.user ?? ''}@${to.host.toLowerCase()}` : formatUri(to);
        const contact = request.contacts[0];
        if (!contact) {
          tx.reply(200);
          return;
        }
        const expires = Number(contact.params.get('expires') ?? request.expires ?? 3600);
        if (bindings.size >= MAX_BINDINGS && !bindings.has(aor)) {
          tx.reply(503, { headers: [['Retry-After', '60']] });
          return;
        }
        const contactText = formatUri(contact.uri);
        bindings.set(aor, { contact: contactText, expires_ms: Date.now() + expires * 1000 });
        tx.reply(200, { headers: [['Contact', `<${contactText}>;expires=${expires}`]] });
        return;
      }
      if (request.method === 'OPTIONS') tx.reply(200);
      else tx.reply(405, { headers: [['Allow', 'REGISTER, OPTIONS']] });
    },
  },
});

process.stdout.write(`ready ${stack.listeners[0]!.port}\n`);
const stop = () => void stack.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
