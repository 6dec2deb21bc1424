import { isIP } from 'node:net';
import { headerFault } from '../errors.js';
import {
  formatParams,
  type Params,
  parseDigits,
  parseParams,
  scanWhile,
  skipWs,
  TOKEN,
  tokenParam,
  trimLws,
} from './scanner.js';
import { formatHost, type HostKind, hostKindOf, parseHostPort } from './uri.js';

/**
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params ), RFC 3261 §20.42,
 * with RFC 3581 rport and RFC 5118 received (IPv6 with or without brackets).
 */
export interface Via {
  readonly protocolName: string;
  readonly protocolVersion: string;
  /** Upper-cased: UDP, TCP, TLS, WS, WSS, SCTP, or any token. */
  readonly transport: string;
  readonly host: string;
  readonly hostKind: HostKind;
  readonly port: number | undefined;
  readonly params: Params;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  /** RFC 3581: null when present without a value, undefined when absent. */
  readonly rport: number | null | undefined;
}

/** RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** The usual transports, so a parsed Via shares one string per transport instead of upper-casing each. */
function transportName(token: string): string {
  switch (token) {
    case 'UDP':
    case 'udp':
      return 'UDP';
    case 'TCP':
    case 'tcp':
      return 'TCP';
    case 'TLS':
    case 'tls':
      return 'TLS';
    case 'WS':
    case 'ws':
      return 'WS';
    case 'WSS':
    case 'wss':
      return 'WSS';
    default:
      return token.toUpperCase();
  }
}

export function parseVia(value: string, header = 'Via'): Via {
  const text = trimLws(value);
  return parseUsualVia(text, header) ?? parseAnyVia(text, header);
}

/**
 * The form nearly every element writes, `SIP/2.0/UDP host[:port];params`
 * with single spaces and no IPv6 reference, read in one pass; undefined sends
 * anything else to `parseAnyVia`, which accepts every form the grammar allows.
 */
function parseUsualVia(text: string, header: string): Via | undefined {
  if (!text.startsWith('SIP/2.0/')) return undefined;
  const transportEnd = scanWhile(text, 8, TOKEN);
  if (transportEnd === 8 || text.charCodeAt(transportEnd) !== 0x20) return undefined;
  const hostStart = transportEnd + 1;
  let i = hostStart;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x3a || code === 0x3b) break;
    if (code === 0x20 || code === 0x09 || code === 0x5b) return undefined;
  }
  const host = text.slice(hostStart, i);
  const hostKind = hostKindOf(host);
  if (hostKind === undefined) return undefined;
  let port: number | undefined;
  if (text.charCodeAt(i) === 0x3a) {
    const portStart = ++i;
    let value = 0;
    for (; i < text.length; i++) {
      const digit = text.charCodeAt(i) - 0x30;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    if (i === portStart || i - portStart > 5 || value > 65535) return undefined;
    port = value;
  }
  if (i < text.length && text.charCodeAt(i) !== 0x3b) return undefined;
  const transport = transportName(text.slice(8, transportEnd));
  return withParams('SIP', '2.0', transport, host, hostKind, port, parseParams(text, i, header), header);
}

function parseAnyVia(text: string, header: string): Via {
  let i = 0;
  const fields: string[] = [];
  for (let field = 0; field < 3; field++) {
    if (field > 0) {
      i = skipWs(text, i);
      if (text.charCodeAt(i) !== 0x2f) throw headerFault(header, 'bad sent-protocol');
      i = skipWs(text, i + 1);
    }
    const end = scanWhile(text, i, TOKEN);
    if (end === i) throw headerFault(header, 'bad sent-protocol');
    fields.push(text.slice(i, end));
    i = end;
  }
  const start = skipWs(text, i);
  if (start === i) throw headerFault(header, 'no space before sent-by');
  let end = start;
  if (text.charCodeAt(end) === 0x5b) {
    end = text.indexOf(']', end);
    if (end === -1) throw headerFault(header, 'unterminated IPv6 reference');
    end++;
  }
  while (end < text.length) {
    const code = text.charCodeAt(end);
    if (code === 0x3b || code === 0x20 || code === 0x09 || code === 0x3a) break;
    end++;
  }
  let hostText = text.slice(start, end);
  i = skipWs(text, end);
  if (text.charCodeAt(i) === 0x3a) {
    const portStart = skipWs(text, i + 1);
    let portEnd = portStart;
    while (portEnd < text.length && text.charCodeAt(portEnd) >= 0x30 && text.charCodeAt(portEnd) <= 0x39)
      portEnd++;
    hostText += `:${text.slice(portStart, portEnd)}`;
    i = portEnd;
  }
  const sentBy = parseHostPort(hostText);
  if (!sentBy) throw headerFault(header, 'bad sent-by');
  return withParams(
    fields[0]!,
    fields[1]!,
    transportName(fields[2]!),
    sentBy.host,
    sentBy.hostKind,
    sentBy.port,
    parseParams(text, i, header),
    header,
  );
}

/** Checks the parameters RFC 3261 and RFC 3581 give a syntax and builds the Via. */
function withParams(
  protocolName: string,
  protocolVersion: string,
  transport: string,
  host: string,
  hostKind: HostKind,
  port: number | undefined,
  params: Params,
  header: string,
): Via {
  const branch = tokenParam(params, 'branch', header);
  let received: string | undefined;
  const receivedValue = params.get('received');
  if (receivedValue !== undefined) {
    const bare = receivedValue?.replace(/^\[(.*)\]$/, '$1') ?? '';
    if (isIP(bare) === 0) throw headerFault(header, 'received is not an IP address');
    received = bare;
  }
  let rport: number | null | undefined;
  const rportValue = params.get('rport');
  if (rportValue !== undefined) {
    if (rportValue === null) rport = null;
    else {
      rport = parseDigits(rportValue, 65535);
      if (rport === undefined) throw headerFault(header, 'bad rport');
    }
  }
  const known =
    (branch === undefined ? 0 : 1) +
    (receivedValue === undefined ? 0 : 1) +
    (rportValue === undefined ? 0 : 1);
  if (params.size > known) {
    const ttl = params.get('ttl');
    if (ttl !== undefined && (ttl === null || parseDigits(ttl, 255) === undefined))
      throw headerFault(header, 'bad ttl');
    const maddr = params.get('maddr');
    if (maddr !== undefined && (maddr === null || !parseHostPort(maddr)))
      throw headerFault(header, 'bad maddr');
  }
  return { protocolName, protocolVersion, transport, host, hostKind, port, params, branch, received, rport };
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  return `${via.protocolName}/${via.protocolVersion}/${via.transport} ${formatHost(via.host, via.hostKind)}${port}${formatParams(via.params)}`;
}

export interface ViaInit {
  transport: string;
  host: string;
  port?: number | undefined;
  branch: string;
  /** Ask for RFC 3581 symmetric response routing (default true). */
  rport?: boolean;
  params?: Iterable<readonly [string, string | null]>;
}

export function via(init: ViaInit): Via {
  const sentBy = parseHostPort(
    init.host.includes(':') && !init.host.startsWith('[') ? `[${init.host}]` : init.host,
  );
  if (!sentBy) throw headerFault('Via', `bad host ${init.host}`);
  const params = new Map<string, string | null>([['branch', init.branch]]);
  if (init.rport !== false) params.set('rport', null);
  for (const [name, value] of init.params ?? []) params.set(name.toLowerCase(), value);
  return {
    protocolName: 'SIP',
    protocolVersion: '2.0',
    transport: init.transport.toUpperCase(),
    host: sentBy.host,
    hostKind: sentBy.hostKind,
    port: init.port,
    params,
    branch: init.branch,
    received: undefined,
    rport: init.rport === false ? undefined : null,
  };
}

/**
 * The top Via as a receiving server stamps it: `received` when the source
 * differs from sent-by (RFC 3261 §18.2.1), and with RFC 3581 `rport` present,
 * `received` always and `rport` set to the source port.
 */
export function stampReceived(top: Via, sourceAddress: string, sourcePort: number): Via {
  const wantsRport = top.rport !== undefined;
  const differs = top.host !== sourceAddress;
  if (!wantsRport && !differs) return top;
  const params = new Map(top.params);
  params.set('received', sourceAddress);
  if (wantsRport) params.set('rport', String(sourcePort));
  return {
    ...top,
    params,
    received: sourceAddress,
    rport: wantsRport ? sourcePort : top.rport,
  };
}
