import {
  type BillingRepository,
  bookPeriodRevenue,
  type EnterpriseRevenueLedger,
  type RevenueBookingOutcome,
} from '@telekommune/pbx';
import type { CommuneRuntime } from './commune-runtime.js';
import type { Logger } from './logger.js';

/**
 * The commune ledger as rating books into it: `record-enterprise-revenue`
 * submitted to the commune service (venture-commune.md), its idempotency
 * key making a retried booking a duplicate rather than a second income.
 */
export function communeRevenueLedger(commune: CommuneRuntime): EnterpriseRevenueLedger {
  return {
    async recordEnterpriseRevenue(command) {
      const outcome = await commune.service.submit({
        type: 'record-enterprise-revenue',
        idempotency_key: command.idempotencyKey,
        effective_date: command.effectiveDate,
        enterprise: command.enterprise,
        amount_minor: command.amount_minor,
        currency: command.currency,
        category: command.category,
        note: command.note,
      });
      switch (outcome.status) {
        case 'accepted':
          return { ok: true, reference: `commune entry ${outcome.entry.seq}` };
        case 'duplicate':
          return { ok: true, reference: `commune entry ${outcome.seq ?? '?'} (already recorded)` };
        case 'rejected':
          return { ok: false, code: outcome.rejection.code, message: outcome.rejection.message };
      }
    },
  };
}

/** The month before the one `at` is in, `YYYY-MM` (UTC). */
export function previousPeriod(at: Date): string {
  const month = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - 1, 1));
  return month.toISOString().slice(0, 7);
}

export interface RevenueBookingRuntime {
  /** Books a closed month's call revenue now (idempotent). */
  book(period: string): Promise<RevenueBookingOutcome>;
  close(): void;
}

/**
 * Books each closed month's call revenue to the enterprise in the commune
 * ledger: the month just ended is tried at start and then hourly, so a
 * booking that failed (the commune not yet incorporated, the enterprise
 * missing) is retried until it lands; booked months are left alone.
 */
export function startRevenueBooking(options: {
  readonly commune: CommuneRuntime;
  readonly billing: BillingRepository;
  readonly logger: Logger;
  /** The enterprise the revenue belongs to; undefined turns automatic booking off. */
  readonly enterprise: string | undefined;
  readonly interval_ms?: number;
  readonly now?: () => Date;
}): RevenueBookingRuntime {
  const now = options.now ?? (() => new Date());
  const ledger = communeRevenueLedger(options.commune);
  const log = options.logger.child({ part: 'revenue' });
  const currency = () => options.commune.service.engine.state.meta.value.outside_currency ?? 'EUR';
  // One booking at a time: the hourly run and an operator's request never race to record one month twice.
  let queue: Promise<unknown> = Promise.resolve();
  const book = (period: string): Promise<RevenueBookingOutcome> => {
    const run = queue.then(() => bookOnce(period));
    queue = run.catch(() => undefined);
    return run;
  };
  const bookOnce = (period: string, enterprise = options.enterprise) =>
    enterprise === undefined
      ? Promise.resolve<RevenueBookingOutcome>({
          kind: 'rejected',
          code: 'INVALID',
          message: 'no enterprise to book revenue to (TK_REVENUE_ENTERPRISE is off)',
        })
      : bookPeriodRevenue(period, {
          billing: options.billing,
          ledger,
          enterprise,
          currency: currency(),
          now,
        });
  let lastRejection = '';
  const tick = async () => {
    const period = previousPeriod(now());
    const outcome = await book(period);
    if (outcome.kind === 'booked') {
      log.info({ period, amount_minor: String(outcome.booking.amount_minor) }, 'call revenue booked');
    } else if (outcome.kind === 'rejected' && `${period} ${outcome.code}` !== lastRejection) {
      lastRejection = `${period} ${outcome.code}`;
      log.warn({ period, code: outcome.code }, `call revenue not booked: ${outcome.message}`);
    }
  };
  let timer: NodeJS.Timeout | undefined;
  let first: NodeJS.Timeout | undefined;
  if (options.enterprise !== undefined) {
    const run = () =>
      void tick().catch((error: unknown) => log.error({ err: error }, 'revenue booking failed'));
    timer = setInterval(run, options.interval_ms ?? 3_600_000);
    timer.unref();
    first = setTimeout(run, 5_000);
    first.unref();
  }
  return {
    book,
    close: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
  };
}
