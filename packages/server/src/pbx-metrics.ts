import type { Cdr, LocationService } from '@telekommune/pbx';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { CarrierRuntime } from './carriers-runtime.js';
import type { PbxRuntime } from './pbx-runtime.js';

export interface PbxMetricSources {
  readonly location: LocationService;
  readonly pbx: PbxRuntime;
  readonly carriers: CarrierRuntime;
}

/**
 * The PBX's Prometheus metrics. Gauges and the SIP message counters are read
 * from the running parts when scraped, so the signalling path pays nothing
 * for them; calls are counted as their CDRs are completed (`countCall`).
 */
export function registerPbxMetrics(
  registry: Registry,
  sources: PbxMetricSources,
): { countCall(cdr: Cdr): void } {
  const { location, pbx, carriers } = sources;
  const registers = [registry];

  new Gauge({
    name: 'telekommune_sip_registrations',
    help: 'Registered device contacts, by transport',
    labelNames: ['transport'] as const,
    registers,
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const binding of location.list(undefined)) {
        counts.set(binding.flow.transport, (counts.get(binding.flow.transport) ?? 0) + 1);
      }
      for (const [transport, count] of counts) this.set({ transport }, count);
    },
  });
  new Gauge({
    name: 'telekommune_calls_active',
    help: 'Calls in progress (ringing or answered)',
    registers,
    collect() {
      this.set(pbx.sip.registry.size);
    },
  });
  const calls = new Counter({
    name: 'telekommune_calls_total',
    help: 'Calls ended, by direction and disposition (one per CDR)',
    labelNames: ['direction', 'disposition'] as const,
    registers,
  });
  new Gauge({
    name: 'telekommune_sip_transactions',
    help: 'SIP transactions in progress, by kind',
    labelNames: ['kind'] as const,
    registers,
    collect() {
      const counts = pbx.sip.stack.transactionCounts;
      this.set({ kind: 'server' }, counts.server);
      this.set({ kind: 'client' }, counts.client);
    },
  });

  // Counters mirrored from the stack's running totals: each scrape adds what came since the last.
  const mirrored = (counter: Counter<string>, read: () => number, labels: Record<string, string> = {}) => {
    let last = 0;
    return () => {
      const now = read();
      if (now > last) counter.inc(labels, now - last);
      last = now;
    };
  };
  const requestsSeen = new Map<string, number>();
  new Counter({
    name: 'telekommune_sip_requests_received_total',
    help: 'SIP requests received and passed to the PBX, by method',
    labelNames: ['method'] as const,
    registers,
    collect() {
      for (const [method, total] of pbx.sip.stack.inbound.requests) {
        const last = requestsSeen.get(method) ?? 0;
        if (total > last) this.inc({ method }, total - last);
        requestsSeen.set(method, total);
      }
    },
  });
  const inbound = pbx.sip.stack.inbound;
  for (const [name, help, read] of [
    ['telekommune_sip_responses_received_total', 'SIP responses received', () => inbound.responses],
    [
      'telekommune_sip_requests_refused_total',
      'SIP requests refused as malformed or unacceptable (400, 505, 416, ...)',
      () => inbound.rejected,
    ],
    [
      'telekommune_sip_messages_dropped_total',
      'SIP messages dropped unanswered as malformed',
      () => inbound.malformed,
    ],
    [
      'telekommune_sip_not_admitted_total',
      'SIP messages dropped unanswered from banned sources, scanners or over the per-source rate',
      () => inbound.notAdmitted,
    ],
  ] as const) {
    let update: () => void = () => {};
    const counter: Counter<string> = new Counter({
      name,
      help,
      registers,
      collect: () => update(),
    });
    update = mirrored(counter, read);
  }
  new Gauge({
    name: 'telekommune_sip_banned_sources',
    help: 'Source addresses banned after repeated failed authentications',
    registers,
    collect() {
      this.set(pbx.sip.security.banned().length);
    },
  });
  new Gauge({
    name: 'telekommune_carrier_up',
    help: 'Whether a carrier is in routing (1) or taken out by its health checks (0)',
    labelNames: ['carrier'] as const,
    registers,
    collect() {
      this.reset();
      for (const carrier of carriers.carriers()) {
        this.set({ carrier: carrier.id }, carriers.board.isHealthy(carrier.id) ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'telekommune_carrier_active_calls',
    help: 'Calls in progress on each carrier',
    labelNames: ['carrier'] as const,
    registers,
    collect() {
      this.reset();
      for (const carrier of carriers.carriers()) {
        this.set({ carrier: carrier.id }, carriers.board.activeCalls(carrier.id));
      }
    },
  });

  return {
    countCall(cdr) {
      calls.inc({ direction: cdr.direction, disposition: cdr.disposition });
    },
  };
}
