import { z } from 'zod';

/**
 * The schema of a request body that its handler validates itself (after
 * merging path parameters into it, so issues keep their paths): the route
 * accepts any JSON, and /openapi.json documents `schema`'s input form less
 * the `fromPath` properties, so clients (and the console's generated types)
 * see the real shape.
 */
export function documentedBody(schema: z.ZodType, fromPath: readonly string[] = []): z.ZodUnknown {
  const {
    $schema: _dialect,
    properties,
    required,
    ...json
  } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    $schema?: string;
    properties?: Record<string, unknown>;
    required?: string[];
  } & Record<string, unknown>;
  const kept = (name: string) => !fromPath.includes(name);
  return z.unknown().meta({
    ...json,
    ...(properties
      ? { properties: Object.fromEntries(Object.entries(properties).filter(([name]) => kept(name))) }
      : {}),
    ...(required ? { required: required.filter(kept) } : {}),
  });
}
