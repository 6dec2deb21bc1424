/**
 * The commune's state: everything `evolve` derives from the event log. Tables
 * share one unit of work so a command can be rolled back as a whole.
 */
import { type Bylaws, defaultBylaws } from './bylaws.js';
import type { HolderRef } from './ledger/account.js';
import type {
  AcquisitionRequest,
  Application,
  BondHolding,
  BondRun,
  BondSeries,
  CommuneMeta,
  CounterName,
  Distribution,
  Employment,
  Enterprise,
  JournalEntry,
  LabourTotal,
  Lease,
  Person,
  Property,
  Proposal,
  RentAuction,
  RentInvoice,
  Share,
} from './records.js';
import { AppendList, Cell, Table, UnitOfWork } from './unit-of-work.js';

export interface StateOptions {
  /** The commune's own currency code (§4); default `VCC`. */
  readonly currency?: string;
  /** The outside currency (§4); default `EUR`. */
  readonly outside_currency?: string;
  readonly bylaws?: Bylaws;
}

export class CommuneState {
  readonly uow = new UnitOfWork();
  readonly meta: Cell<CommuneMeta>;
  readonly persons = new Table<Person>(this.uow);
  readonly enterprises = new Table<Enterprise>(this.uow);
  readonly employments = new Table<Employment>(this.uow);
  /** `person enterprise` → id of the active employment. */
  readonly activeEmployment = new Table<string>(this.uow);
  /** person → ids of all their employments. */
  readonly employmentsByPerson = new Table<readonly string[]>(this.uow);
  readonly labour = new Table<LabourTotal>(this.uow);
  /** Pending applications (§3.4): admitted as soon as the applicant qualifies. */
  readonly applications = new Table<Application>(this.uow);
  /** Every share ever issued, cancelled ones included. */
  readonly shares = new Table<Share>(this.uow);
  /** person → id of their one active share. */
  readonly members = new Table<string>(this.uow);
  readonly properties = new Table<Property>(this.uow);
  /** enterprise → properties it holds on a grace clock (§3.2). */
  readonly heldByEnterprise = new Table<readonly string[]>(this.uow);
  readonly leases = new Table<Lease>(this.uow);
  /** property → id of its active lease. */
  readonly activeLease = new Table<string>(this.uow);
  /** enterprise → number of its active leases. */
  readonly activeLeaseCount = new Table<number>(this.uow);
  /** Sum of the annualised rent of all active leases, at par (§4). */
  readonly rentRollAnnual: Cell<bigint>;
  readonly invoices = new Table<RentInvoice>(this.uow);
  /** `enterprise currency` → ids of invoices not fully paid, oldest first. */
  readonly openInvoices = new Table<readonly string[]>(this.uow);
  readonly requests = new Table<AcquisitionRequest>(this.uow);
  /** property → its current or latest rent auction. */
  readonly rentAuctions = new Table<RentAuction>(this.uow);
  readonly series = new Table<BondSeries>(this.uow);
  /** `series holder` → holding. */
  readonly holdings = new Table<BondHolding>(this.uow);
  /** series → its holders, in allotment order. */
  readonly holders = new Table<readonly HolderRef[]>(this.uow);
  readonly bondRuns = new Table<BondRun>(this.uow);
  /** `period currency` → the distribution of that period's rent in that currency. */
  readonly distributions = new Table<Distribution>(this.uow);
  /** period → the date it was distributed. */
  readonly distributedPeriods = new Table<string>(this.uow);
  readonly proposals = new Table<Proposal>(this.uow);
  /** `proposal member` → choice. */
  readonly votes = new Table<'yes' | 'no' | 'abstain'>(this.uow);
  /** `period currency` → rent received in the period. */
  readonly rentReceived = new Table<bigint>(this.uow);
  /** `period currency property` → rent received for the property (it serves its own series first, §6). */
  readonly rentReceivedByProperty = new Table<bigint>(this.uow);
  /** `currency account` → balance (debit positive). */
  readonly balances = new Table<bigint>(this.uow);
  readonly journal = new AppendList<JournalEntry>(this.uow);
  /** idempotency key → fingerprint of the command it was first used with. */
  readonly keys = new Table<string>(this.uow);
  readonly counters = new Table<number>(this.uow);

  constructor(options: StateOptions = {}) {
    this.meta = new Cell<CommuneMeta>(this.uow, {
      phase: 'pre-commune',
      name: null,
      currency: options.currency ?? 'VCC',
      outside_currency: options.outside_currency ?? 'EUR',
      bylaws: options.bylaws ?? defaultBylaws,
      incorporated_on: null,
      last_date: null,
    });
    this.rentRollAnnual = new Cell<bigint>(this.uow, 0n);
  }

  get bylaws(): Bylaws {
    return this.meta.value.bylaws;
  }

  /** Replace some meta fields (recorded in the unit of work). */
  updateMeta(patch: Partial<CommuneMeta>): void {
    this.meta.set({ ...this.meta.value, ...patch });
  }

  /** The current value of a counter. */
  count(counter: CounterName): number {
    return this.counters.get(counter) ?? 0;
  }

  /** Take the next number of a counter. */
  next(counter: CounterName): number {
    const value = this.count(counter) + 1;
    this.counters.set(counter, value);
    return value;
  }

  /** Shares issued and not cancelled. */
  sharesOutstanding(): number {
    return this.count('share') - this.count('shares_cancelled');
  }
}

export function initialState(options: StateOptions = {}): CommuneState {
  return new CommuneState(options);
}
