import { z } from 'zod';

/**
 * Where a call can be sent: the one vocabulary of forwarding, ring groups,
 * IVR options, DIDs and schedules. In configuration a destination is a short
 * string, e.g. `extension:1002`, `ringgroup:sales`, `voicemail:1001`,
 * `ivr:main`, `number:+4930123456`, `conference:standup` or `hangup`; a bare
 * extension number (`"1002"`) means `extension:1002`.
 */
export type Destination =
  | { readonly kind: 'extension'; readonly number: string }
  | { readonly kind: 'ringgroup'; readonly id: string }
  | { readonly kind: 'voicemail'; readonly box: string }
  | { readonly kind: 'ivr'; readonly id: string }
  | { readonly kind: 'number'; readonly number: string }
  /** A conference room by its id (docs/conferences.md). */
  | { readonly kind: 'conference'; readonly room: string }
  | { readonly kind: 'hangup' }
  /**
   * A feature code dialled by an extension (*97, *72 1002 ...): never in
   * configuration, only what `resolveDialled` makes of a dialled string.
   */
  | { readonly kind: 'feature'; readonly feature: string; readonly argument?: string };

export type DestinationKind = Destination['kind'];

const extensionNumber = /^[0-9]{2,6}$/;
const identifier = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
/** What a user could dial towards the outside: digits with an optional leading +. */
const dialledNumber = /^\+?[0-9]{2,20}$/;

export type DestinationParse = { ok: true; value: Destination } | { ok: false; message: string };

export function parseDestination(text: string): DestinationParse {
  if (text === 'hangup') return { ok: true, value: { kind: 'hangup' } };
  if (extensionNumber.test(text)) return { ok: true, value: { kind: 'extension', number: text } };
  const colon = text.indexOf(':');
  const kind = colon > 0 ? text.slice(0, colon) : '';
  const rest = colon > 0 ? text.slice(colon + 1) : '';
  switch (kind) {
    case 'extension':
      return extensionNumber.test(rest)
        ? { ok: true, value: { kind, number: rest } }
        : { ok: false, message: 'expected extension:NUMBER with 2 to 6 digits' };
    case 'voicemail':
      return extensionNumber.test(rest)
        ? { ok: true, value: { kind, box: rest } }
        : { ok: false, message: 'expected voicemail:BOX with 2 to 6 digits' };
    case 'conference':
      return identifier.test(rest)
        ? { ok: true, value: { kind, room: rest } }
        : { ok: false, message: 'expected conference:ID with lowercase letters, digits and inner hyphens' };
    case 'ringgroup':
    case 'ivr':
      return identifier.test(rest)
        ? { ok: true, value: { kind, id: rest } }
        : { ok: false, message: `expected ${kind}:ID with lowercase letters, digits and inner hyphens` };
    case 'number':
      return dialledNumber.test(rest)
        ? { ok: true, value: { kind, number: rest } }
        : { ok: false, message: 'expected number:+E164 or number:DIGITS' };
    default:
      return {
        ok: false,
        message:
          'expected extension:N, ringgroup:ID, voicemail:BOX, ivr:ID, number:+E164, conference:ID or hangup',
      };
  }
}

export function formatDestination(destination: Destination): string {
  switch (destination.kind) {
    case 'extension':
      return `extension:${destination.number}`;
    case 'ringgroup':
    case 'ivr':
      return `${destination.kind}:${destination.id}`;
    case 'voicemail':
      return `voicemail:${destination.box}`;
    case 'number':
      return `number:${destination.number}`;
    case 'conference':
      return `conference:${destination.room}`;
    case 'hangup':
      return 'hangup';
    case 'feature':
      return `feature:${destination.feature}${destination.argument === undefined ? '' : `:${destination.argument}`}`;
  }
}

/**
 * A destination in configuration: validated, kept as its canonical string.
 * The closing `pipe` keeps the output a plain string in JSON Schema (a bare
 * transform has no JSON Schema form, so /openapi.json would show `{}`).
 */
export const destinationSchema = z
  .string({ error: 'expected a destination such as extension:1002' })
  .transform((text, ctx) => {
    const parsed = parseDestination(text.trim());
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: parsed.message });
      return z.NEVER;
    }
    return formatDestination(parsed.value);
  })
  .pipe(z.string())
  .meta({
    description:
      'extension:N (or just N), ringgroup:ID, voicemail:BOX, ivr:ID, number:+E164, conference:ID or hangup',
  });

/** Parses a destination already validated by `destinationSchema`. */
export function destinationOf(text: string): Destination {
  const parsed = parseDestination(text);
  if (!parsed.ok) throw new Error(`invalid stored destination ${JSON.stringify(text)}: ${parsed.message}`);
  return parsed.value;
}
