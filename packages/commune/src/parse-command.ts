/**
 * Turning untrusted input (a JSON line, an HTTP body, a typed object) into a
 * validated command, or a rejection that says exactly what is wrong.
 */
import type { z } from 'zod';
import {
  type Command,
  commandSchema,
  commandTypes,
  membershipCommandTypes,
  shareTradeFields,
  shareTradeTypes,
} from './commands.js';
import type { Rejection } from './rejection.js';

const maxDepth = 12;

/** Amounts may be given as `bigint`; on the wire they are decimal strings. */
function toWire(value: unknown, depth: number): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (depth > maxDepth || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toWire(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = toWire(item, depth + 1);
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

export type ParseResult = { readonly command: Command } | { readonly rejection: Rejection };

export function parseCommand(input: unknown): ParseResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { rejection: { code: 'INVALID', message: 'a command is a JSON object with a "type"' } };
  }
  const record = input as Record<string, unknown>;
  const type = record.type;
  if (typeof type !== 'string') {
    return { rejection: { code: 'INVALID', message: 'a command needs a "type"' } };
  }
  if ((shareTradeTypes as readonly string[]).includes(type)) {
    return {
      rejection: {
        code: 'SHARE_NOT_FOR_SALE',
        message: `"${type}": a share is earned only by labour; it is never bought, sold, transferred or inherited`,
      },
    };
  }
  if ((membershipCommandTypes as readonly string[]).includes(type)) {
    const traded = shareTradeFields.find((field) => field in record);
    if (traded !== undefined) {
      return {
        rejection: {
          code: 'SHARE_NOT_FOR_SALE',
          message: `"${type}" cannot carry "${traded}": membership is earned only by labour, never paid for or handed on`,
        },
      };
    }
  }
  if (!(commandTypes as readonly string[]).includes(type)) {
    return { rejection: { code: 'INVALID', message: `unknown command type "${type.slice(0, 64)}"` } };
  }
  const parsed = commandSchema.safeParse(toWire(record, 0));
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map(describeIssue).join('; ');
    return { rejection: { code: 'INVALID', message: `${type}: ${issues}` } };
  }
  return { command: parsed.data };
}
