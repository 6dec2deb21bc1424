import { describe, it } from 'vitest';
import { testPostgresUrl } from '../../../e2e/support/tools.js';
import { conformanceSuites } from './conformance/index.js';
import { postgresFactory } from './fresh-store.js';

const url = testPostgresUrl();
if (url) {
  for (const suite of conformanceSuites) suite(postgresFactory(url));
} else {
  describe.skip('store conformance on PostgreSQL (TK_TEST_PG unset)', () => {
    it('needs TK_TEST_PG', () => {});
  });
}
