/**
 * The commune workload the commune benches share: the worked example, then
 * enterprises leasing property back from the commune and their workers, and
 * months of labour, rent cycles and rent payments.
 */
import { telekommunistenJournal } from '@telekommune/commune';

export type Cmd = Record<string, unknown>;

export interface Workload {
  readonly enterprises: number;
  readonly workers: number;
}

let keyCounter = 0;

/** A command with a fresh idempotency key, dated `date`. */
export function cmd(date: string, body: Cmd): Cmd {
  keyCounter += 1;
  return { ...body, idempotency_key: `b${keyCounter}`, effective_date: date };
}

/** The month `index` months after 2024-02 (`YYYY-MM`). */
export function periodAt(index: number): string {
  const m = 2 + index; // from 2024-03
  return `${2024 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}`;
}

export const enterpriseId = (e: number) => `ent-${String(e).padStart(3, '0')}`;
export const workerId = (w: number) => `w-${String(w).padStart(4, '0')}`;

/** The worked example, then enterprises leasing property back from the commune, and their workers. */
export function setupCommands({ enterprises, workers }: Workload): Cmd[] {
  const out: Cmd[] = [...telekommunistenJournal()] as unknown as Cmd[];
  const d = '2024-02-01';
  for (let e = 0; e < enterprises; e += 1) {
    const id = enterpriseId(e);
    out.push(
      cmd(d, { type: 'found-enterprise', enterprise: id, name: `Enterprise ${e}` }),
      cmd(d, {
        type: 'record-enterprise-revenue',
        enterprise: id,
        amount_minor: '1000000000',
        currency: 'EUR',
      }),
      cmd(d, {
        type: 'register-property',
        property: `prop-${id}`,
        enterprise: id,
        kind: 'capital',
        description: 'equipment',
        cost_minor: '500000',
      }),
      cmd(d, {
        type: 'sell-property-to-commune',
        property: `prop-${id}`,
        payment: 'bonds',
        bonds: { series: `bonds-${id}`, coupon_bp: 300, term_months: 120, coupon_frequency: 1 },
        lease: { rent_minor: '5000', currency: 'EUR' },
      }),
    );
  }
  for (let w = 0; w < workers; w += 1) {
    const person = workerId(w);
    out.push(
      cmd(d, { type: 'register-person', person, name: `Worker ${w}` }),
      cmd(d, { type: 'employ', person, enterprise: enterpriseId(w % enterprises) }),
    );
  }
  return out;
}

/**
 * One month: a rent cycle (one invoice per enterprise), every worker's
 * labour, every enterprise's rent: `1 + workers + enterprises` commands and
 * `workers + 2 * enterprises` events.
 */
export function monthCommands({ enterprises, workers }: Workload, index: number): Cmd[] {
  const period = periodAt(index);
  const out: Cmd[] = [cmd(`${period}-01`, { type: 'run-rent-cycle', period })];
  for (let w = 0; w < workers; w += 1) {
    out.push(
      cmd(`${period}-15`, {
        type: 'record-labour',
        person: workerId(w),
        enterprise: enterpriseId(w % enterprises),
        hours: 8,
      }),
    );
  }
  for (let e = 0; e < enterprises; e += 1) {
    out.push(
      cmd(`${period}-20`, {
        type: 'pay-rent',
        enterprise: enterpriseId(e),
        amount_minor: '5000',
        currency: 'EUR',
      }),
    );
  }
  return out;
}
