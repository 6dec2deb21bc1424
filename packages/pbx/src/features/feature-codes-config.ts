import { z } from 'zod';

/**
 * The feature codes of pbx.md §4 and their defaults. A tenant may move any
 * of them (`featureCodes: { dndOn: "*88" }`) or switch one off with `off`.
 */
export const defaultFeatureCodes = {
  voicemail: '*97',
  voicemailAny: '*98',
  forwardAllOn: '*72',
  forwardAllOff: '*73',
  forwardBusyOn: '*90',
  forwardBusyOff: '*91',
  forwardNoAnswerOn: '*92',
  forwardNoAnswerOff: '*93',
  dndOn: '*78',
  dndOff: '*79',
  echoTest: '*43',
  /** Intercom: `*801002` rings 1002's phones with auto-answer headers (docs/feature-codes.md). */
  intercom: '*80',
  /** Group pickup: the longest-ringing call to a colleague in one of the caller's ring groups. */
  pickupGroup: '*8',
  /** Directed pickup: `**1002` answers the call ringing at 1002. */
  pickupDirected: '**',
} as const;

export type FeatureName = keyof typeof defaultFeatureCodes;
export const featureNames = Object.keys(defaultFeatureCodes) as FeatureName[];

const code = z
  .string({ error: 'expected a code such as *97, or off' })
  .regex(/^(?:[*#][0-9]{1,4}|off)$/, { error: 'expected * or # and 1 to 4 digits (e.g. *97), or off' });

/** Directed pickup's code is a prefix the extension follows (`**1002`), so `**` is allowed too. */
const prefixCode = z
  .string({ error: 'expected a code such as **, or off' })
  .regex(/^(?:[*#]{2}|[*#][0-9]{1,3}|off)$/, {
    error: 'expected ** (or ##), or * or # and 1 to 3 digits, or off',
  });

export const featureCodesConfigSchema = z.strictObject({
  voicemail: code.optional(),
  voicemailAny: code.optional(),
  forwardAllOn: code.optional(),
  forwardAllOff: code.optional(),
  forwardBusyOn: code.optional(),
  forwardBusyOff: code.optional(),
  forwardNoAnswerOn: code.optional(),
  forwardNoAnswerOff: code.optional(),
  dndOn: code.optional(),
  dndOff: code.optional(),
  echoTest: code.optional(),
  intercom: code.optional(),
  pickupGroup: code.optional(),
  pickupDirected: prefixCode.optional(),
});

export type FeatureCodesConfig = z.output<typeof featureCodesConfigSchema>;

/** A tenant's codes: its own where set, else the defaults; switched-off codes left out. */
export function effectiveFeatureCodes(config: FeatureCodesConfig | undefined): Map<string, FeatureName> {
  const codes = new Map<string, FeatureName>();
  for (const name of featureNames) {
    const value = config?.[name] ?? defaultFeatureCodes[name];
    if (value !== 'off') codes.set(value, name);
  }
  return codes;
}

/** Features that take a number after the code (*72 1002: forward everything to 1002). */
export const featuresWithArgument: ReadonlySet<FeatureName> = new Set([
  'voicemailAny',
  'forwardAllOn',
  'forwardBusyOn',
  'forwardNoAnswerOn',
  'intercom',
  'pickupDirected',
]);

/** Features the SIP service carries out itself, on the call's signalling, with no voice application. */
export const pickupFeatures: ReadonlySet<FeatureName> = new Set(['pickupGroup', 'pickupDirected']);

/** What a dialled string means as a feature code: the feature and the digits after its code. */
export function matchFeatureCode(
  codes: Map<string, FeatureName>,
  dialled: string,
): { feature: FeatureName; argument?: string } | undefined {
  const exact = codes.get(dialled);
  if (exact) return { feature: exact };
  // The longest code that prefixes the dialled string and takes an argument.
  let best: { feature: FeatureName; argument: string } | undefined;
  let bestLength = 0;
  for (const [value, feature] of codes) {
    if (!featuresWithArgument.has(feature) || !dialled.startsWith(value) || value.length <= bestLength)
      continue;
    const argument = dialled.slice(value.length);
    if (!/^\+?[0-9]{2,20}$/.test(argument)) continue;
    best = { feature, argument };
    bestLength = value.length;
  }
  return best;
}

/** The feature destination a dialled string means in a tenant (for `resolveDialled`), if any. */
export function resolveFeatureCode(
  tenant: { readonly featureCodes?: FeatureCodesConfig | undefined },
  dialled: string,
): { kind: 'feature'; feature: FeatureName; argument?: string } | undefined {
  if (!dialled.startsWith('*') && !dialled.startsWith('#')) return undefined;
  const match = matchFeatureCode(effectiveFeatureCodes(tenant.featureCodes), dialled);
  if (!match) return undefined;
  return match.argument === undefined
    ? { kind: 'feature', feature: match.feature }
    : { kind: 'feature', feature: match.feature, argument: match.argument };
}
