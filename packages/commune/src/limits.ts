/**
 * Every bound the engine enforces, named in one place (TigerStyle: limits on
 * everything). A command that exceeds one is rejected with `INVALID`.
 */
export const limits = {
  /** Length of a client-chosen identifier (person, enterprise, property, ...). */
  idLength: 64,
  /** Length of a name, description, purpose or title. */
  textLength: 200,
  /** Length of a free-text note or contact field. */
  noteLength: 1000,
  /** Length of an idempotency key. */
  idempotencyKeyLength: 128,
  /** Largest amount in minor units a single command may carry (10^15, ten trillion units). */
  amountMinor: 1_000_000_000_000_000n,
  /** Hours in one labour record: a month of round-the-clock work. */
  labourHoursPerRecord: 744,
  /** Hundredths of an hour are the finest labour unit. */
  labourHoursDecimals: 2,
  /** Highest membership threshold a bylaw amendment may set (a full working year). */
  labourThresholdHours: 2_080,
  /** Bonds in one series. */
  bondsPerSeries: 1_000_000_000,
  /** Bids on one bond series or one rent auction. */
  bidsPerAuction: 10_000,
  /** Highest yield a bid may ask for, in basis points (100 %). */
  yieldBp: 10_000,
  /** Longest bond or lease term, in months (50 years). */
  termMonths: 600,
  /** Members of one commune (a distribution event lists every one). */
  members: 200_000,
  /** Leasebacks named in one incorporation. */
  leasebacksPerIncorporation: 10_000,
  /** Longest voting window or auction window, in days. */
  windowDays: 366,
  /** Longest grace period for enterprise-held property, in days. */
  graceDays: 3_650,
  /** Bylaw default-after limit, in rent periods. */
  defaultAfterPeriods: 120,
  /** Depth of proposal payloads: a proposal never carries a proposal. */
  proposalDepth: 1,
} as const;
