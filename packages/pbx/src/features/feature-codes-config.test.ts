import { describe, expect, it } from 'vitest';
import { tenantConfigSchema } from '../provisioning/tenant-config.js';
import {
  defaultFeatureCodes,
  effectiveFeatureCodes,
  featureCodesConfigSchema,
  featureNames,
  matchFeatureCode,
  resolveFeatureCode,
} from './feature-codes-config.js';

const defaults = effectiveFeatureCodes(undefined);

describe('feature codes (pbx.md §4, docs/feature-codes.md)', () => {
  it('knows every default code exactly', () => {
    expect(defaults.size).toBe(featureNames.length);
    for (const name of featureNames) {
      expect(matchFeatureCode(defaults, defaultFeatureCodes[name])).toEqual({ feature: name });
    }
  });

  it('takes the digits after a code that accepts a number as its argument', () => {
    expect(matchFeatureCode(defaults, '*721002')).toEqual({ feature: 'forwardAllOn', argument: '1002' });
    expect(matchFeatureCode(defaults, '*90+4930123456')).toEqual({
      feature: 'forwardBusyOn',
      argument: '+4930123456',
    });
    expect(matchFeatureCode(defaults, '*92004930123456')).toEqual({
      feature: 'forwardNoAnswerOn',
      argument: '004930123456',
    });
    expect(matchFeatureCode(defaults, '*981002')).toEqual({ feature: 'voicemailAny', argument: '1002' });
  });

  it('refuses digits after a code that takes none, and arguments that are no number', () => {
    expect(matchFeatureCode(defaults, '*7312')).toBeUndefined(); // forward off takes no target
    expect(matchFeatureCode(defaults, '*971002')).toBeUndefined(); // own box: no box number
    expect(matchFeatureCode(defaults, '*781')).toBeUndefined();
    expect(matchFeatureCode(defaults, '*721')).toBeUndefined(); // one digit is no target
    expect(matchFeatureCode(defaults, '*72*1002')).toBeUndefined();
    expect(matchFeatureCode(defaults, '*72+')).toBeUndefined();
    expect(matchFeatureCode(defaults, `*72${'1'.repeat(21)}`)).toBeUndefined(); // longer than E.164 allows
    expect(matchFeatureCode(defaults, '*7')).toBeUndefined();
    expect(matchFeatureCode(defaults, '')).toBeUndefined();
  });

  it('prefers the longest code that prefixes the dialled string', () => {
    const codes = effectiveFeatureCodes(
      featureCodesConfigSchema.parse({ forwardAllOn: '*7', voicemailAny: '*72' }),
    );
    expect(matchFeatureCode(codes, '*721002')).toEqual({ feature: 'voicemailAny', argument: '1002' });
    expect(matchFeatureCode(codes, '*731002')).toEqual({ feature: 'forwardAllOn', argument: '31002' });
    // An exact code wins over a prefix with an argument.
    expect(matchFeatureCode(codes, '*78')).toEqual({ feature: 'dndOn' });
  });

  it('follows a tenant’s own codes and switched-off codes', () => {
    const tenant = { featureCodes: featureCodesConfigSchema.parse({ dndOn: '*88', echoTest: 'off' }) };
    expect(resolveFeatureCode(tenant, '*88')).toEqual({ kind: 'feature', feature: 'dndOn' });
    expect(resolveFeatureCode(tenant, '*78')).toBeUndefined(); // moved away
    expect(resolveFeatureCode(tenant, '*43')).toBeUndefined(); // off
    expect(resolveFeatureCode(tenant, '*79')).toEqual({ kind: 'feature', feature: 'dndOff' });
    expect(resolveFeatureCode({}, '*721002')).toEqual({
      kind: 'feature',
      feature: 'forwardAllOn',
      argument: '1002',
    });
    // Numbers that do not start with * or # are never feature codes.
    expect(resolveFeatureCode({ featureCodes: { dndOn: '#78' } }, '1002')).toBeUndefined();
    expect(resolveFeatureCode({ featureCodes: { dndOn: '#78' } }, '#78')).toEqual({
      kind: 'feature',
      feature: 'dndOn',
    });
  });

  it('accepts * or # and 1 to 4 digits, or off, and nothing else', () => {
    for (const good of ['*9', '#1', '*1234', 'off']) {
      expect(featureCodesConfigSchema.safeParse({ dndOn: good }).success, good).toBe(true);
    }
    for (const bad of ['*', '*12345', '97', '**97', '*9a', 'OFF', '', ' *97']) {
      expect(featureCodesConfigSchema.safeParse({ dndOn: bad }).success, bad).toBe(false);
    }
    expect(featureCodesConfigSchema.safeParse({ parkOn: '*70' }).success).toBe(false);
    // Directed pickup's code is a prefix: ** and ## as well, but no longer than 4 characters.
    for (const good of ['**', '##', '*5', 'off'])
      expect(featureCodesConfigSchema.safeParse({ pickupDirected: good }).success, good).toBe(true);
    for (const bad of ['*', '***', '**9', '*1234', '1'])
      expect(featureCodesConfigSchema.safeParse({ pickupDirected: bad }).success, bad).toBe(false);
  });

  it('reads **EXT as directed pickup of EXT and *8 as group pickup', () => {
    expect(resolveFeatureCode({}, '**1002')).toEqual({
      kind: 'feature',
      feature: 'pickupDirected',
      argument: '1002',
    });
    expect(resolveFeatureCode({}, '*8')).toEqual({ kind: 'feature', feature: 'pickupGroup' });
    expect(resolveFeatureCode({}, '*81002')).toBeUndefined(); // group pickup takes no number
    expect(resolveFeatureCode({}, '**1')).toBeUndefined(); // one digit is no extension
    expect(resolveFeatureCode({ featureCodes: { pickupDirected: '*5' } }, '*51002')).toMatchObject({
      feature: 'pickupDirected',
      argument: '1002',
    });
  });

  it('refuses a tenant in which two features share a code, naming the second', () => {
    const tenant = (featureCodes: Record<string, string>) =>
      tenantConfigSchema.safeParse({
        id: 'acme',
        name: 'ACME',
        domain: 'acme.test',
        extensions: [],
        featureCodes,
      });
    const clash = tenant({ dndOn: '*97' });
    expect(clash.success).toBe(false);
    const issue = clash.error?.issues.find((i) => i.path.join('.').startsWith('featureCodes'));
    expect(issue?.path).toEqual(['featureCodes', 'dndOn']);
    expect(issue?.message).toBe('*97 is already the code for voicemail');
    // Switching the default off frees its code.
    expect(tenant({ voicemail: 'off', dndOn: '*97' }).success).toBe(true);
  });
});
