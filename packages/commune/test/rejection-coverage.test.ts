/**
 * Every rejection code the engine can return is exercised by a test that
 * expects it by name: the negative space of §3 and §11 is tested, not assumed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rejectionCodes } from '../src/rejection.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.test.ts') && name !== 'rejection-coverage.test.ts'
      ? [readFileSync(path, 'utf8')]
      : [];
  });
}

describe('rejection codes', () => {
  const root = join(import.meta.dirname, '..');
  const text = [...sources(join(root, 'test')), ...sources(join(root, 'src'))].join('\n');

  it.each(rejectionCodes)('%s is expected by name in some test', (code) => {
    expect(text).toContain(`'${code}'`);
  });

  it('are each produced somewhere in the engine', () => {
    const src = readdirSync(join(root, 'src'), { recursive: true })
      .map(String)
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'rejection.ts')
      .map((name) => readFileSync(join(root, 'src', name), 'utf8'))
      .join('\n');
    for (const code of rejectionCodes) expect(src, code).toContain(`'${code}'`);
  });
});
