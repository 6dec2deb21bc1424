/**
 * A double-entry transaction: one currency, lines whose signed amounts sum to
 * zero (debits positive, credits negative), and sum to zero within each
 * owner's books as well, so every entity's books balance on their own
 * (venture-commune.md §4).
 */
import type { CurrencyCode } from '../money.js';
import { accountOwner } from './account.js';

export interface Line {
  readonly account: string;
  /** Positive: debit. Negative: credit. */
  readonly amount_minor: bigint;
}

export interface Transaction {
  readonly currency: CurrencyCode;
  readonly memo: string;
  readonly lines: readonly Line[];
}

export class TransactionBuilder {
  readonly #lines: Line[] = [];

  constructor(
    readonly currency: CurrencyCode,
    readonly memo: string,
  ) {}

  /** Debit one account and credit another of the same owner by the same amount. */
  move(debit: string, credit: string, amount_minor: bigint): this {
    if (amount_minor === 0n) return this;
    this.#lines.push({ account: debit, amount_minor }, { account: credit, amount_minor: -amount_minor });
    return this;
  }

  get isEmpty(): boolean {
    return this.#lines.length === 0;
  }

  build(): Transaction {
    return { currency: this.currency, memo: this.memo, lines: [...this.#lines] };
  }
}

/** Why a transaction does not balance, or `null` when it does. */
export function imbalance(transaction: Transaction): string | null {
  if (transaction.lines.length === 0) return 'a transaction has no lines';
  const byOwner = new Map<string, bigint>();
  let total = 0n;
  for (const line of transaction.lines) {
    total += line.amount_minor;
    const owner = accountOwner(line.account);
    byOwner.set(owner, (byOwner.get(owner) ?? 0n) + line.amount_minor);
  }
  if (total !== 0n) return `${transaction.currency} debits and credits differ by ${total}`;
  for (const [owner, sum] of byOwner) {
    if (sum !== 0n) return `${owner}'s ${transaction.currency} lines differ by ${sum}`;
  }
  return null;
}
