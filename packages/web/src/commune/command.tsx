import type { FieldValues, Path, UseFormRegister } from 'react-hook-form';
import type { Ok } from '../api/client.js';
import { Field } from '../components/field.js';

/** The outcome of a commune command (accepted, a duplicate of an earlier one, or a preview). */
export type CommandOutcome = Ok<'/api/commune/commands', 'post'>;

/** Today as `YYYY-MM-DD` (UTC, as the commune's dates are). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The current month as `YYYY-MM`, or the one before. */
export function month(offset = 0): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return d.toISOString().slice(0, 7);
}

/**
 * An idempotency key for one command as the console sends it. A form keeps
 * its key until the command is accepted, so sending it again (a double
 * click, a retry after a lost answer) records nothing twice.
 */
export function newCommandKey(type: string): string {
  return `console-${type}-${crypto.randomUUID()}`;
}

export function outcomeText(outcome: CommandOutcome): string {
  switch (outcome.status) {
    case 'accepted':
      return `Recorded as log entry ${outcome.seq}.`;
    case 'duplicate':
      return `Already recorded${outcome.seq === null ? '' : ` as log entry ${outcome.seq}`}; nothing new.`;
    case 'preview':
      return `Would cause ${outcome.events.length} event(s).`;
  }
}

/** Every command's envelope: its effective date (dates never go back in the log). */
export function EffectiveDateField<T extends FieldValues & { effective_date: string }>({
  register,
  error,
}: {
  register: UseFormRegister<T>;
  error: string | undefined;
}) {
  return (
    <Field label="Effective date" hint="YYYY-MM-DD; not before the log's last date" error={error}>
      <input
        type="date"
        {...register('effective_date' as Path<T>, {
          required: 'Enter the date',
          pattern: { value: /^\d{4}-\d{2}-\d{2}$/, message: 'expected YYYY-MM-DD' },
        })}
      />
    </Field>
  );
}
