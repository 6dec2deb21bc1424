/**
 * The chart of accounts (venture-commune.md §4). An account name is a path
 * `<owner>/<kind>/<name>[/<sub>...]`: the owner is `commune` or
 * `enterprise:<id>`, the kind one of the five account kinds. Members and bond
 * holders have their own accounts in the commune's books (dividends payable
 * to a member, bonds and coupons payable to a holder).
 */

export const accountKinds = ['asset', 'liability', 'equity', 'income', 'expense'] as const;
export type AccountKind = (typeof accountKinds)[number];

/** A bond holder: a person, or an enterprise paid in bonds for its property (§9). */
export type HolderRef = `person:${string}` | `enterprise:${string}`;

export function accountKind(account: string): AccountKind {
  const kind = account.split('/')[1];
  if (!(accountKinds as readonly string[]).includes(kind ?? '')) {
    throw new Error(`account ${account} has no kind`);
  }
  return kind as AccountKind;
}

/** `commune` or `enterprise:<id>`: whose books the account is in. */
export function accountOwner(account: string): string {
  return account.slice(0, account.indexOf('/'));
}

/** Debit-normal kinds grow with debits; the rest grow with credits. */
export function isDebitNormal(kind: AccountKind): boolean {
  return kind === 'asset' || kind === 'expense';
}

export const commune = {
  owner: 'commune',
  /** Treasury cash in the outside currency. */
  cash: 'commune/asset/cash',
  /** Cash set aside by the reserve step of the waterfall (§7). */
  reserve: 'commune/asset/reserve',
  /** Bond proceeds held for the series' purpose (§6). */
  earmarked: (series: string) => `commune/asset/earmarked/${series}`,
  property: (property: string) => `commune/asset/property/${property}`,
  rentReceivable: (enterprise: string) => `commune/asset/rent-receivable/${enterprise}`,
  /** Commune currency invested in an enterprise (§4, fund-enterprise). */
  investment: (enterprise: string) => `commune/asset/investment/${enterprise}`,
  /** Commune currency issued and not yet retired (§4). */
  currencyOutstanding: 'commune/liability/currency-outstanding',
  bonds: (series: string, holder: HolderRef) => `commune/liability/bonds/${series}/${holder}`,
  couponsPayable: (series: string, holder: HolderRef) =>
    `commune/liability/coupons-payable/${series}/${holder}`,
  dividendsPayable: (person: string) => `commune/liability/dividends-payable/${person}`,
  reserveFund: 'commune/equity/reserve-fund',
  /** Surplus kept: remainders that cannot be split equally, and surpluses members chose to retain (§7). */
  undistributed: 'commune/equity/undistributed',
  /** Debit-balance equity: the waterfall's appropriations of each period's rent (§7). */
  appropriations: 'commune/equity/appropriations',
  /** Gains and losses on property sold off: capital, never income (§3.2). */
  revaluation: 'commune/equity/property-revaluation',
  /** Clearing account for exchanges between the two currencies at par (§4). */
  exchange: 'commune/equity/exchange',
  /** The commune's only income: rent (§3.2). */
  rentIncome: 'commune/income/rent',
  interestExpense: 'commune/expense/interest',
} as const;

export function enterpriseAccounts(id: string) {
  const owner = `enterprise:${id}`;
  return {
    owner,
    cash: `${owner}/asset/cash`,
    property: (property: string) => `${owner}/asset/property/${property}`,
    bondsHeld: (series: string) => `${owner}/asset/bonds/${series}`,
    couponsReceivable: (series: string) => `${owner}/asset/coupons-receivable/${series}`,
    rentPayable: `${owner}/liability/rent-payable`,
    communeInvestment: `${owner}/equity/commune-investment`,
    workersCapital: `${owner}/equity/workers-capital`,
    exchange: `${owner}/equity/exchange`,
    revenue: (category: string) => `${owner}/income/revenue/${category}`,
    couponIncome: `${owner}/income/coupons`,
    gainOnSale: `${owner}/income/gain-on-sale`,
    rentExpense: `${owner}/expense/rent`,
    operating: (category: string) => `${owner}/expense/operating/${category}`,
    depreciation: `${owner}/expense/depreciation`,
    lossOnSale: `${owner}/expense/loss-on-sale`,
  };
}
