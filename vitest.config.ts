import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'e2e/**/*.test.ts',
      'bench/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', 'packages/web/dist/**'],
    // The end-to-end files mostly wait: on prompts played in real time, on SIPp
    // and baresip. Vitest's default (one file at a time on a 2-core machine)
    // took 14.4 minutes with the CPU a third busy; three at once take 5.4.
    maxWorkers: Math.max(3, availableParallelism() - 1),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
