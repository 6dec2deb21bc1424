/** The transport flow a REGISTER arrived on: where requests to that device must be sent (NAT). */
export interface Flow {
  readonly transport: 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';
  /** The observed source address and port (RFC 3581 received/rport). */
  readonly address: string;
  readonly port: number;
  /** Stream transports: the connection to reuse for requests back to the device. */
  readonly connectionId?: string | undefined;
  readonly localAddress?: string | undefined;
  readonly localPort?: number | undefined;
  /**
   * Whether the device is behind NAT (its Via or Contact disagrees with where
   * the request really came from): then requests go to the flow, not the Contact.
   */
  readonly natted?: boolean | undefined;
}

/**
 * One contact of an address of record (RFC 3261 §10): a device of an
 * extension, where it said it is and where it really is (its flow).
 */
export interface Binding {
  readonly tenantId: string;
  /** The extension number: the user part of the address of record. */
  readonly aor: string;
  /** The Contact URI as the device sent it. */
  readonly contact: string;
  /** RFC 5626 / RFC 5627 instance identifier, when the device sent one. */
  readonly instanceId?: string | undefined;
  readonly callId: string;
  readonly cseq: number;
  readonly expiresAt_ms: number;
  readonly registeredAt_ms: number;
  readonly q?: number | undefined;
  readonly userAgent?: string | undefined;
  readonly flow: Flow;
}

export function bindingKey(binding: Pick<Binding, 'tenantId' | 'aor' | 'contact'>): string {
  return `${binding.tenantId}\u0000${binding.aor}\u0000${binding.contact}`;
}

export function aorKey(tenantId: string, aor: string): string {
  return `${tenantId}\u0000${aor}`;
}
