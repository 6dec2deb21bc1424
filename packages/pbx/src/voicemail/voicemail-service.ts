import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type FinishedRecording,
  fsyncDirectory,
  recoverRecordings,
  unlinkIfExists,
} from '@telekommune/media';
import type { TenantDirectory } from '../directory/tenant-directory.js';
import type { ExtensionConfig, TenantConfig } from '../provisioning/tenant-config.js';
import { MIN_MESSAGE_MS } from './voicemail-config.js';
import type {
  MessageCounts,
  VoicemailFolder,
  VoicemailMessage,
  VoiceRepository,
} from './voicemail-repository.js';

/** What the sidecar of a message being recorded holds, so recovery can store it after a crash. */
export interface RecordingMetadata {
  readonly id: string;
  readonly tenantId: string;
  readonly box: string;
  readonly caller: string | undefined;
  readonly callerName: string | undefined;
  readonly receivedAt: string;
}

export interface VoicemailNotice {
  readonly tenant: TenantConfig;
  readonly extension: ExtensionConfig;
  readonly message: VoicemailMessage;
  /** The message's WAV file. */
  readonly wavPath: string;
}

/** Tells the box owner about a new message (e-mail with the WAV attached; server/voicemail-mailer.ts). */
export interface VoicemailNotifier {
  newMessage(notice: VoicemailNotice): Promise<void>;
}

export type GreetingKind = 'unavailable' | 'busy' | 'name';
export const greetingKinds: readonly GreetingKind[] = ['unavailable', 'busy', 'name'];

export interface VoicemailServiceOptions {
  readonly repository: VoiceRepository;
  /** Directory of every box: `<root>/<tenant>/<box>/<id>.wav`, greetings in `<box>/greetings/`. */
  readonly root: string;
  readonly directory: () => TenantDirectory;
  readonly notifier?: VoicemailNotifier | undefined;
  /** A box's counts changed (MWI). */
  readonly countsChanged?: (tenantId: string, box: string) => void;
  readonly log: (level: 'info' | 'warn', detail: Record<string, unknown>, message: string) => void;
  readonly now?: () => Date;
}

export interface RecoveryOutcome {
  readonly recovered: number;
  readonly discarded: number;
  /** WAVs without a row, and rows without a WAV, removed. */
  readonly orphans: number;
}

const safeName = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const safeBox = /^[0-9]{2,6}$/;

/**
 * Voicemail messages: where their audio lives, storing a finished
 * recording (row first, then the sidecar goes), moving, marking heard and
 * deleting them, the e-mail notice and the MWI update on every change, and
 * the recovery after a crash that makes the store and the files agree.
 */
export class VoicemailService {
  readonly repository: VoiceRepository;
  private readonly now: () => Date;

  constructor(private readonly options: VoicemailServiceOptions) {
    this.repository = options.repository;
    this.now = options.now ?? (() => new Date());
  }

  boxDirectory(tenantId: string, box: string): string {
    if (!safeName.test(tenantId) || !safeBox.test(box))
      throw new Error(`bad voicemail box ${tenantId}/${box}`);
    return join(this.options.root, tenantId, box);
  }

  messagePath(message: VoicemailMessage): string {
    return join(this.boxDirectory(message.tenantId, message.box), message.file);
  }

  greetingPath(tenantId: string, box: string, kind: GreetingKind): string {
    return join(this.boxDirectory(tenantId, box), 'greetings', `${kind}.wav`);
  }

  /** The greeting's path when one was recorded. */
  async greeting(tenantId: string, box: string, kind: GreetingKind): Promise<string | undefined> {
    const path = this.greetingPath(tenantId, box, kind);
    try {
      return (await stat(path)).isFile() ? path : undefined;
    } catch {
      return undefined;
    }
  }

  /** Keeps a greeting recorded to `from` (in the greetings directory) as the box's `kind` greeting. */
  async keepGreeting(tenantId: string, box: string, kind: GreetingKind, from: string): Promise<void> {
    const path = this.greetingPath(tenantId, box, kind);
    await rename(from, path);
    await fsyncDirectory(join(this.boxDirectory(tenantId, box), 'greetings'));
  }

  async removeGreeting(tenantId: string, box: string, kind: GreetingKind): Promise<void> {
    await unlinkIfExists(this.greetingPath(tenantId, box, kind));
  }

  /** A new message's id and path, its directory created. */
  async newMessageFile(tenantId: string, box: string): Promise<{ id: string; path: string; file: string }> {
    const directory = this.boxDirectory(tenantId, box);
    await mkdir(join(directory, 'greetings'), { recursive: true });
    const id = randomUUID();
    const file = `${id}.wav`;
    return { id, file, path: join(directory, file) };
  }

  /**
   * Stores a finished recording as a new message: the row first, then the
   * sidecar is removed (a crash in between reports it again, and the insert
   * is idempotent by id). Then the lamp and the e-mail.
   */
  async store(recording: FinishedRecording, metadata: RecordingMetadata): Promise<VoicemailMessage> {
    const message: VoicemailMessage = {
      id: metadata.id,
      tenantId: metadata.tenantId,
      box: metadata.box,
      folder: 'new',
      caller: metadata.caller,
      callerName: metadata.callerName,
      receivedAt: metadata.receivedAt,
      duration_ms: Math.round(recording.durationMs),
      heardAt: undefined,
      file: `${metadata.id}.wav`,
    };
    const inserted = await this.repository.insertMessage(message);
    await recording.acknowledge();
    if (inserted) this.announce(message, recording.path);
    return message;
  }

  private announce(message: VoicemailMessage, wavPath: string): void {
    this.options.countsChanged?.(message.tenantId, message.box);
    const directory = this.options.directory();
    const tenant = directory.tenant(message.tenantId);
    const extension = directory.extension(message.tenantId, message.box);
    if (!tenant || !extension?.voicemail?.email || !this.options.notifier) return;
    this.options.notifier.newMessage({ tenant, extension, message, wavPath }).then(
      () => this.options.log('info', { message: message.id, box: message.box }, 'voicemail e-mail sent'),
      (error: unknown) =>
        this.options.log('warn', { message: message.id, err: String(error) }, 'voicemail e-mail failed'),
    );
  }

  async counts(tenantId: string, box: string): Promise<MessageCounts> {
    return this.repository.countMessages(tenantId, box);
  }

  async markHeard(tenantId: string, id: string): Promise<VoicemailMessage | undefined> {
    const before = await this.repository.getMessage(tenantId, id);
    if (!before) return undefined;
    if (before.heardAt !== undefined) return before;
    const after = await this.repository.updateMessage(tenantId, id, { heardAt: this.now().toISOString() });
    this.options.countsChanged?.(tenantId, before.box);
    return after;
  }

  async move(tenantId: string, id: string, folder: VoicemailFolder): Promise<VoicemailMessage | undefined> {
    const after = await this.repository.updateMessage(tenantId, id, {
      folder,
      // Saving a message means it was dealt with.
      ...(folder === 'saved' ? { heardAt: this.now().toISOString() } : {}),
    });
    if (after) this.options.countsChanged?.(tenantId, after.box);
    return after;
  }

  /** Removes the row, then the file (a crash in between leaves a WAV that recovery removes). */
  async delete(tenantId: string, id: string): Promise<VoicemailMessage | undefined> {
    const removed = await this.repository.deleteMessage(tenantId, id);
    if (!removed) return undefined;
    await unlinkIfExists(this.messagePath(removed));
    this.options.countsChanged?.(tenantId, removed.box);
    return removed;
  }

  /**
   * After a crash, before calls are served: finishes or removes what
   * recordings left behind (DurableWavWriter keeps every flushed second),
   * stores the recovered messages, and removes WAVs without a row and rows
   * without a WAV, so the store and the files agree.
   */
  async recover(): Promise<RecoveryOutcome> {
    let recovered = 0;
    let discarded = 0;
    let orphans = 0;
    for (const tenantId of await listDirectories(this.options.root)) {
      if (!safeName.test(tenantId)) continue;
      for (const box of await listDirectories(join(this.options.root, tenantId))) {
        if (!safeBox.test(box)) continue;
        const directory = this.boxDirectory(tenantId, box);
        const report = await recoverRecordings(directory, { minDurationMs: MIN_MESSAGE_MS });
        discarded += report.discarded.length;
        for (const recording of report.recovered) {
          const metadata = recording.metadata as Partial<RecordingMetadata> | undefined;
          if (metadata?.id === undefined || metadata.tenantId !== tenantId || metadata.box !== box) {
            // Not one of ours (no sidecar): the reconciliation below decides.
            continue;
          }
          await this.store(recording, {
            id: metadata.id,
            tenantId,
            box,
            caller: metadata.caller,
            callerName: metadata.callerName,
            receivedAt: metadata.receivedAt ?? this.now().toISOString(),
          });
          recovered++;
        }
        orphans += await this.reconcile(tenantId, box, directory);
        await cleanGreetingLeftovers(join(directory, 'greetings'));
      }
    }
    if (recovered + discarded + orphans > 0) {
      this.options.log('info', { recovered, discarded, orphans }, 'voicemail recovered after a restart');
    }
    return { recovered, discarded, orphans };
  }

  private async reconcile(tenantId: string, box: string, directory: string): Promise<number> {
    const rows = await this.repository.listMessages(tenantId, box);
    const names = new Set(await readdir(directory));
    const known = new Set(rows.map((row) => row.file));
    let orphans = 0;
    for (const row of rows) {
      if (!names.has(row.file)) {
        await this.repository.deleteMessage(tenantId, row.id);
        orphans++;
      }
    }
    for (const name of names) {
      if (!/^[0-9a-f-]{36}\.wav$/.test(name) || known.has(name)) continue;
      if (names.has(`${name}.pending.json`)) continue;
      await unlinkIfExists(join(directory, name));
      orphans++;
    }
    if (orphans > 0) this.options.countsChanged?.(tenantId, box);
    return orphans;
  }
}

async function listDirectories(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Greetings being recorded when the process died: never kept. */
async function cleanGreetingLeftovers(path: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(path);
  } catch {
    return;
  }
  for (const name of names) {
    if (name.includes('.new.') || name.endsWith('.partial') || name.endsWith('.pending.json')) {
      await unlinkIfExists(join(path, name));
    }
  }
}
