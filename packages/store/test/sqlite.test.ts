import { conformanceSuites } from './conformance/index.js';
import { sqliteFactory } from './fresh-store.js';

for (const suite of conformanceSuites) suite(sqliteFactory());
