import type { FieldErrors, UseFormRegister } from 'react-hook-form';
import { DestinationInput } from './destination-input.js';
import { CheckField, Field } from './field.js';

/** The form values shared by the extension page and "my forwarding". */
export interface ForwardingValues {
  dnd: boolean;
  ringTime_s: number;
  always: string;
  busy: string;
  noAnswer: string;
  unreachable: string;
}

/** A stored destination as text (the API documents destinations loosely). */
export function destinationText(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export const forwardingKeys = ['always', 'busy', 'noAnswer', 'unreachable'] as const;

const labels: Record<(typeof forwardingKeys)[number], { label: string; hint: string }> = {
  always: { label: 'Forward all calls to', hint: 'every call goes here at once; leave empty to ring' },
  busy: { label: 'When busy (or do not disturb)', hint: 'e.g. voicemail:1001' },
  noAnswer: { label: 'When not answered', hint: 'after the ring time' },
  unreachable: { label: 'When no phone is registered', hint: 'e.g. number:+4930123456' },
};

/** Destinations from the form: empty fields mean "not forwarded". */
export function forwardFrom(values: ForwardingValues): Record<string, string> {
  const forward: Record<string, string> = {};
  for (const key of forwardingKeys) {
    const value = values[key].trim();
    if (value) forward[key] = value;
  }
  return forward;
}

/** Maps a server issue path (e.g. `forward.busy`, `extensions.0.forward.busy`) to a field. */
export function forwardingField(path: string): keyof ForwardingValues | undefined {
  const last = path.split('.').at(-1);
  if (last === 'dnd' || last === 'ringTime_s') return last;
  return forwardingKeys.find((k) => k === last);
}

export function ForwardingFields({
  register,
  errors,
  options,
}: {
  register: UseFormRegister<ForwardingValues>;
  errors: FieldErrors<ForwardingValues>;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <fieldset className="form-grid">
      <legend>Forwarding and do not disturb</legend>
      <CheckField label="Do not disturb">
        <input {...register('dnd')} />
      </CheckField>
      <Field label="Ring time (seconds)" hint="5 to 300" error={errors.ringTime_s?.message}>
        <input type="number" min={5} max={300} {...register('ringTime_s', { valueAsNumber: true })} />
      </Field>
      {forwardingKeys.map((key) => (
        <Field key={key} label={labels[key].label} hint={labels[key].hint} error={errors[key]?.message}>
          <DestinationInput options={options} {...register(key)} />
        </Field>
      ))}
    </fieldset>
  );
}
