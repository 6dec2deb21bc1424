import { isIP } from 'node:net';
import type { Flow as SipFlow, SipRequest, Target, Uri } from '@telekommune/sip';
import type { Binding, Flow } from '../registrar/binding.js';

/** RFC 1918, RFC 6598 shared, link-local and unique-local addresses: unroutable from outside. */
export function isPrivateAddress(address: string): boolean {
  if (
    /^(10\.|192\.168\.|172\.(1[6-9]|2[0-9]|3[01])\.|169\.254\.|100\.(6[4-9]|[7-9][0-9]|1[01][0-9]|12[0-7])\.)/.test(
      address,
    )
  ) {
    return true;
  }
  return /^f[cd][0-9a-f]{2}:/i.test(address) || /^fe80:/i.test(address);
}

/**
 * Whether a request's sender is behind NAT, as Kamailio's nat_uac_test
 * looks at it: the top Via's sent-by is not where the request came from, or
 * the Contact names a private address that is not the source.
 */
export function looksNatted(request: SipRequest, flow: SipFlow, contact: Uri | undefined): boolean {
  const via = request.via;
  const viaPort = via.port ?? (flow.protocol === 'tls' ? 5061 : 5060);
  if (via.host !== flow.remoteAddress || viaPort !== flow.remotePort) return true;
  if (contact?.kind === 'sip' && isIP(contact.host) !== 0) {
    return contact.host !== flow.remoteAddress && isPrivateAddress(contact.host);
  }
  return false;
}

/** The flow a request arrived on, as the registrar stores it. */
export function bindingFlow(flow: SipFlow, natted = false): Flow {
  return {
    transport: flow.protocol,
    address: flow.remoteAddress,
    port: flow.remotePort,
    connectionId: flow.connectionId,
    localAddress: flow.localAddress,
    localPort: flow.localPort,
    natted,
  };
}

/**
 * Where to send requests for a registered device. Over TCP, TLS and
 * WebSocket: its connection (RFC 5626; a browser cannot be reached
 * otherwise). Over UDP: its flow when it is behind NAT, else the address in
 * its Contact (which may differ from the port it registered from).
 */
export function bindingTarget(binding: Binding, contact: Uri | undefined): Target {
  const flow = binding.flow;
  if (flow.transport !== 'udp' || flow.natted || contact?.kind !== 'sip' || isIP(contact.host) === 0) {
    return targetOf(flow);
  }
  return { protocol: 'udp', address: contact.host, port: contact.port ?? 5060 };
}

/**
 * Where to send requests for a registered device: the flow its REGISTER came
 * on (its NAT mapping, or its connection), not the address in its Contact.
 */
export function targetOf(flow: Flow): Target {
  return {
    protocol: flow.transport,
    address: flow.address,
    port: flow.port,
    connectionId: flow.connectionId,
  };
}

/** The same, for a flow of the SIP stack (answering back to where a request came from). */
export function targetOfSipFlow(flow: SipFlow): Target {
  return {
    protocol: flow.protocol,
    address: flow.remoteAddress,
    port: flow.remotePort,
    connectionId: flow.connectionId,
  };
}
