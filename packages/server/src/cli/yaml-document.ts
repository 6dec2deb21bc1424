import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

export type ReadOutcome = { ok: true; value: unknown } | { ok: false; errors: string[] };

/**
 * Reads a YAML (or JSON) file into plain data. Syntax errors come back as
 * `FILE:LINE:COL: message`; a file with several documents is refused.
 */
export async function readYamlFile(path: string): Promise<ReadOutcome> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, errors: [`${path}: cannot read the file (${code ?? String(error)})`] };
  }
  const documents = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(documents)) return { ok: true, value: undefined };
  if (documents.length > 1)
    return { ok: false, errors: [`${path}: expected one YAML document, found ${documents.length}`] };
  const document = documents[0];
  if (!document) return { ok: true, value: undefined };
  if (document.errors.length > 0) {
    return {
      ok: false,
      errors: document.errors.map((e) => {
        const at = e.linePos?.[0];
        const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
        return `${path}:${at ? `${at.line}:${at.col}` : '?'}: ${message}`;
      }),
    };
  }
  return { ok: true, value: document.toJS({ maxAliasCount: 100 }) };
}
