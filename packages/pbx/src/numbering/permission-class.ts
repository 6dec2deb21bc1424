import { z } from 'zod';
import type { NumberClass } from './number-class.js';

/**
 * What an extension may dial outside, as a ladder: each class includes the
 * ones before it (pbx.md §5). `internal` reaches only the tenant's own
 * numbers; emergency numbers are always allowed, whatever the class.
 */
export const permissionClasses = [
  'internal',
  'local',
  'national',
  'mobile',
  'international',
  'premium',
] as const;
export type PermissionClass = (typeof permissionClasses)[number];

export const permissionClassSchema = z.enum(permissionClasses, {
  error: `expected one of ${permissionClasses.join(', ')}`,
});

/** The class an extension has when its configuration names none. */
export const defaultPermissionClass: PermissionClass = 'national';

/** The lowest permission class that may call a number of this class. */
export function requiredPermission(numberClass: NumberClass): PermissionClass | 'always' {
  switch (numberClass) {
    case 'emergency':
      return 'always';
    case 'tollfree':
    case 'local':
      return 'local';
    case 'national':
      return 'national';
    case 'mobile':
      return 'mobile';
    case 'international':
      return 'international';
    case 'premium':
      return 'premium';
  }
}

export function permits(granted: PermissionClass, numberClass: NumberClass): boolean {
  const needed = requiredPermission(numberClass);
  if (needed === 'always') return true;
  return permissionClasses.indexOf(granted) >= permissionClasses.indexOf(needed);
}
