import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { startTelekommune } from '../../app.js';
import { resolveSettings } from '../../settings.js';

/**
 * The OpenAPI document exactly as a server would publish it at /openapi.json:
 * the real wiring, started in-process on a throw-away database and loopback
 * ports picked by the system, then stopped. No server needs to be running.
 */
export async function buildOpenApiDocument(): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'tk-openapi-'));
  try {
    const settings = resolveSettings(
      { dataDir: dir, httpHost: '127.0.0.1', httpPort: '0', sipHost: '127.0.0.1', sipPort: '0', demo: false },
      // Nothing else may listen on a fixed port: this runs inside `npm install`, maybe beside a live server.
      { TK_SIP_TLS_PORT: 'off', TK_SIP_WS_PORT: 'off' },
    );
    const running = await startTelekommune(settings, pino({ level: 'silent' }));
    try {
      return running.http.swagger();
    } finally {
      await running.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function registerOpenApiCommand(program: Command): void {
  program
    .command('openapi')
    .description('write the OpenAPI document of the HTTP API (no running server needed)')
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .addHelpText(
      'after',
      `
Examples:
  $ telekommune openapi > openapi.json
  $ telekommune openapi -o packages/web/src/api/generated/openapi.json`,
    )
    .action(async (flags: { output?: string }) => {
      const text = `${JSON.stringify(await buildOpenApiDocument(), null, 2)}\n`;
      if (flags.output === undefined) {
        process.stdout.write(text);
        return;
      }
      mkdirSync(dirname(flags.output), { recursive: true });
      writeFileSync(flags.output, text);
    });
}
