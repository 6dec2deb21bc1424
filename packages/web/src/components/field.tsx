import { cloneElement, type ReactElement, useId } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';

interface FieldProps {
  readonly label: string;
  readonly hint?: string | undefined;
  readonly error?: string | undefined;
  /** One input, select or textarea; it gets the id, and aria attributes for the hint and error. */
  readonly children: ReactElement<Record<string, unknown>>;
}

/** A labelled form control with its hint and error tied to it for assistive technology. */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, {
        id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : undefined,
      })}
      {hint ? (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={errorId}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A checkbox with its label beside it. */
export function CheckField({
  label,
  children,
}: {
  label: string;
  children: ReactElement<Record<string, unknown>>;
}) {
  const id = useId();
  return (
    <div className="field field-check">
      {cloneElement(children, { id, type: 'checkbox' })}
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

/** A labelled select of plain strings (currencies, enterprises, properties), each its own label. */
export function ChoiceField({
  label,
  hint,
  error,
  choices,
  register,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  choices: readonly string[];
  register: UseFormRegisterReturn;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      <select {...register}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    </Field>
  );
}
