import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyProvisioning, type Cdr, type CdrQuery, provisioningDocumentSchema } from '@telekommune/pbx';
import { type RunningTelekommune, resolveSettings, startTelekommune } from '@telekommune/server';
import { pino } from 'pino';

export interface TestPbx {
  readonly running: RunningTelekommune;
  /** The UDP SIP port on 127.0.0.1. */
  readonly sipPort: number;
  /** Applies a provisioning document (input form, defaults filled) and reloads the directory. */
  provision(document: unknown): Promise<void>;
  /**
   * CDRs matching `query` (and `where`, when given), waiting (up to 5 s)
   * until at least `atLeast` are stored: they are written in batches a
   * moment after each call ends.
   */
  cdrs(
    query: Omit<CdrQuery, 'limit'> & { limit?: number },
    atLeast?: number,
    where?: (cdr: Cdr) => boolean,
  ): Promise<Cdr[]>;
  /** GET `path` of the HTTP API with a bearer `token`; throws unless the status is 200. */
  get<T>(path: string, token: string): Promise<T>;
  close(): Promise<void>;
}

export interface TestPbxOptions {
  /** Also listen on SIP over TLS and WebSocket (ephemeral ports); off by default, which starts faster. */
  readonly streamTransports?: boolean;
  /** Settings from the environment-variable side (TK_*). */
  readonly env?: Record<string, string>;
  /**
   * SIP and media listen address (default 127.0.0.1). `0.0.0.0` makes the PBX
   * advertise this machine's external address, which phones that refuse to
   * send media to loopback from an external address (baresip) need.
   */
  readonly sipHost?: string;
}

/** A whole Telekommune in this process with ephemeral ports and its own data directory. */
export async function startTestPbx(options: TestPbxOptions = {}): Promise<TestPbx> {
  const dir = mkdtempSync(join(tmpdir(), 'tk-pbx-'));
  const settings = resolveSettings(
    {
      dataDir: dir,
      httpHost: '127.0.0.1',
      httpPort: '0',
      sipHost: options.sipHost ?? '127.0.0.1',
      sipPort: '0',
      sipTlsPort: options.streamTransports ? '0' : 'off',
      sipWsPort: options.streamTransports ? '0' : 'off',
      demo: false,
    },
    options.env ?? {},
  );
  const logger = pino({ level: process.env.TK_TEST_LOG ?? 'silent' });
  const running = await startTelekommune(settings, logger);
  const udp = running.sipEndpoints.find((e) => e.startsWith('udp '));
  const sipPort = Number(udp?.split(':').pop());
  return {
    running,
    sipPort,
    async provision(document) {
      const outcome = await applyProvisioning(
        provisioningDocumentSchema.parse(document),
        running.context.provisioning,
      );
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.issues));
      await running.context.reloadConfiguration();
    },
    async cdrs(query, atLeast = 1, where = () => true) {
      let found: Cdr[] = [];
      for (let i = 0; i < 50; i++) {
        found = (await running.context.cdrs.query({ limit: 1000, ...query })).filter(where);
        if (found.length >= atLeast) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return found;
    },
    async get<T>(path: string, token: string): Promise<T> {
      const response = await fetch(`${running.httpUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.status !== 200) {
        throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      }
      return (await response.json()) as T;
    },
    async close() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
