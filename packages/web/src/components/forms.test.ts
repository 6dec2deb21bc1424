import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../api/api-failure.js';
import { applyIssues } from './forms.js';

describe('applyIssues', () => {
  const failure = () =>
    new ApiFailure(400, 'invalid', 'invalid request', [
      { path: 'body.period', message: 'expected YYYY-MM' },
      { path: 'amount', message: 'expected a positive amount' },
      { path: 'body.other', message: 'not on the form' },
    ]);

  it("puts issues on the form's fields, with or without the server's body. prefix", () => {
    const set: [string, string | undefined][] = [];
    const left = applyIssues<{ period: string; amount: string }>(
      failure(),
      (field, error) => set.push([field, error.message]),
      (path) => (path === 'period' || path === 'amount' ? path : undefined),
    );
    expect(set).toEqual([
      ['period', 'expected YYYY-MM'],
      ['amount', 'expected a positive amount'],
    ]);
    // What no field takes is left for the banner.
    expect(left).toBeInstanceOf(ApiFailure);
    expect((left as ApiFailure).issues).toEqual([{ path: 'body.other', message: 'not on the form' }]);
  });

  it('passes other errors through untouched', () => {
    const error = new Error('network down');
    expect(
      applyIssues(
        error,
        () => undefined,
        () => undefined,
      ),
    ).toBe(error);
  });
});
