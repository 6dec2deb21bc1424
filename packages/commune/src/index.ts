/**
 * @telekommune/commune: the Venture Commune as a pure decider
 * (docs: ../../../docs/commune.md; contract: venture-commune.md).
 */

export { type AuditDifference, type AuditOptions, Auditor, type AuditReport, audit } from './audit.js';
export { type Allotment, type AuctionBid, type AuctionResult, runBondAuction } from './bond-auction.js';
export { couponFor, paymentIn, paymentPeriods } from './bond-schedule.js';
export { type Bylaws, defaultBylaws, governedCommandTypes } from './bylaws.js';
export { canonicalJson, fromJsonValue, parseCanonicalJson, toJsonValue } from './canonical-json.js';
export {
  type Command,
  type CommandJson,
  type CommandOf,
  type CommandType,
  commandSchema,
  commandTypes,
  type ProposalPayload,
  proposalPayload,
  shareTradeTypes,
} from './commands.js';
export { type AppendOutcome, type CommuneLog, type LogHead, MemoryCommuneLog } from './commune-log.js';
export { type BatchResult, CommuneService, type ServiceOptions } from './commune-service.js';
export { decideCommand } from './decide.js';
export type { Decision } from './deciders/context.js';
export {
  applyEntry,
  CommuneEngine,
  decide,
  type Outcome,
  type Preparation,
  type Prepared,
  runCommand,
} from './engine.js';
export type { CommuneEvent, EventOf, EventType } from './events.js';
export { evolve } from './evolve.js';
export { telekommunisten, telekommunistenJournal } from './examples/telekommunisten.js';
export {
  type ChainVerification,
  commandFingerprint,
  commandJsonOf,
  EncodedEntry,
  entryFingerprint,
  entryHash,
  eventsJsonOf,
  fingerprintOf,
  genesisHash,
  type LogEntry,
  sealEntry,
  verifyChain,
} from './hash-chain.js';
export { checkCommand, checkInvariants, type Violation } from './invariants.js';
export {
  exportJournal,
  JournalBuilder,
  type JournalLine,
  readJsonl,
  toJsonl,
} from './journal.js';
export { type AccountKind, accountKind, accountKinds, accountOwner } from './ledger/account.js';
export { imbalance, type Line, type Transaction } from './ledger/transaction.js';
export { limits } from './limits.js';
export { formatMinor, formatMoney } from './money.js';
export { type ParseResult, parseCommand } from './parse-command.js';
export type * from './records.js';
export { isRejectionCode, type Rejection, type RejectionCode, rejectionCodes } from './rejection.js';
export { rentAuctionWinner } from './rent-auction.js';
export { rentWaterfall, type Waterfall, waterfallArithmetic } from './rent-waterfall.js';
export * from './reports/index.js';
export { snapshot, stateDigest } from './snapshot.js';
export { CommuneState, initialState, type StateOptions } from './state.js';
