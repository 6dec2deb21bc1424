import { BlockList, isIPv6 } from 'node:net';
import { ipFamily } from '@telekommune/sip';
import type { CarrierConfig } from './carrier-config.js';

/**
 * Which carrier a SIP request comes from, by its source address and each
 * carrier's allow-list (`auth.allow`; for `register` carriers the optional
 * list). Requests from anywhere else are not from a carrier and must be
 * authenticated as a tenant's device, or refused.
 */
export class CarrierSources {
  private readonly lists: { readonly carrier: CarrierConfig; readonly list: BlockList }[] = [];

  constructor(carriers: readonly CarrierConfig[]) {
    for (const carrier of carriers) {
      if (!carrier.enabled) continue;
      const allow = carrier.auth.allow ?? [];
      if (allow.length === 0) continue;
      const list = new BlockList();
      for (const entry of allow) {
        const [address = '', bits] = entry.split('/');
        const type = isIPv6(address) ? 'ipv6' : 'ipv4';
        if (bits === undefined) list.addAddress(address, type);
        else list.addSubnet(address, Number(bits), type);
      }
      this.lists.push({ carrier, list });
    }
  }

  /** The first enabled carrier (in configuration order) whose allow-list holds the address. */
  carrierFor(address: string): CarrierConfig | undefined {
    if (this.lists.length === 0) return undefined;
    const type = ipFamily(address) === 6 ? 'ipv6' : 'ipv4';
    // IPv4-mapped IPv6 (::ffff:192.0.2.1), as dual-stack sockets report it, is checked as IPv4.
    const mapped = /^::ffff:([0-9.]+)$/i.exec(address)?.[1];
    for (const { carrier, list } of this.lists) {
      if (mapped !== undefined ? list.check(mapped, 'ipv4') : list.check(address, type)) return carrier;
    }
    return undefined;
  }
}
