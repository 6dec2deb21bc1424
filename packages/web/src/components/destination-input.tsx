import { forwardRef, type InputHTMLAttributes, useId } from 'react';

/** Suggestions for a destination field: the tenant's extensions, ring groups, IVR menus and voicemail boxes. */
export function destinationOptions(
  extensions: readonly { number: string; name: string; voicemail?: unknown }[],
  ringGroups: readonly { id: string; name: string }[],
  ivrs: readonly { id: string; name: string }[] = [],
) {
  return [
    ...extensions.map((e) => ({ value: `extension:${e.number}`, label: `${e.name} (${e.number})` })),
    ...ringGroups.map((g) => ({ value: `ringgroup:${g.id}`, label: `Ring group ${g.name}` })),
    ...ivrs.map((m) => ({ value: `ivr:${m.id}`, label: `IVR menu ${m.name}` })),
    ...extensions.map((e) => ({ value: `voicemail:${e.number}`, label: `Voicemail of ${e.name}` })),
    { value: 'hangup', label: 'Hang up' },
  ];
}

type Props = InputHTMLAttributes<HTMLInputElement> & {
  readonly options: readonly { value: string; label: string }[];
};

/**
 * A destination (`extension:1002`, `ringgroup:sales`, `voicemail:1001`,
 * `number:+4930…`, `hangup`) typed freely, with the tenant's own as suggestions.
 */
export const DestinationInput = forwardRef<HTMLInputElement, Props>(function DestinationInput(
  { options, ...input },
  ref,
) {
  const listId = useId();
  return (
    <>
      <input ref={ref} list={listId} autoComplete="off" spellCheck={false} {...input} />
      <datalist id={listId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </datalist>
    </>
  );
});
