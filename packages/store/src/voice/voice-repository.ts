import type {
  MessageCounts,
  PinState,
  TenantPrompt,
  VoicemailFolder,
  VoicemailMessage,
  VoiceRepository,
} from '@telekommune/pbx';
import type { Selectable } from 'kysely';
import type { Store } from '../open-store.js';
import type { TenantPromptsTable, VoicemailMessagesTable } from './schema-voice.js';

function messageOf(row: Selectable<VoicemailMessagesTable>): VoicemailMessage {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    box: row.box,
    folder: row.folder === 'saved' ? 'saved' : 'new',
    caller: row.caller ?? undefined,
    callerName: row.caller_name ?? undefined,
    receivedAt: row.received_at,
    duration_ms: Number(row.duration_ms),
    heardAt: row.heard_at ?? undefined,
    file: row.file,
  };
}

function promptOf(row: Omit<Selectable<TenantPromptsTable>, 'audio'>): TenantPrompt {
  return {
    tenantId: row.tenant_id,
    name: row.name,
    source: row.source === 'speech' ? 'speech' : 'upload',
    text: row.text ?? undefined,
    duration_ms: Number(row.duration_ms),
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

/** Voicemail messages, PIN lockout and tenant prompts on SQLite and PostgreSQL. */
export class SqlVoiceRepository implements VoiceRepository {
  constructor(private readonly store: Store) {}

  async insertMessage(message: VoicemailMessage): Promise<boolean> {
    const result = await this.store.db
      .insertInto('voicemail_messages')
      .values({
        id: message.id,
        tenant_id: message.tenantId,
        box: message.box,
        folder: message.folder,
        caller: message.caller ?? null,
        caller_name: message.callerName ?? null,
        received_at: message.receivedAt,
        duration_ms: Math.round(message.duration_ms),
        heard_at: message.heardAt ?? null,
        file: message.file,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async listMessages(tenantId: string, box?: string, folder?: VoicemailFolder): Promise<VoicemailMessage[]> {
    let query = this.store.db.selectFrom('voicemail_messages').selectAll().where('tenant_id', '=', tenantId);
    if (box !== undefined) query = query.where('box', '=', box);
    if (folder !== undefined) query = query.where('folder', '=', folder);
    const rows = await query.orderBy('received_at').orderBy('id').limit(10_000).execute();
    return rows.map(messageOf);
  }

  async getMessage(tenantId: string, id: string): Promise<VoicemailMessage | undefined> {
    const row = await this.store.db
      .selectFrom('voicemail_messages')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? messageOf(row) : undefined;
  }

  async updateMessage(
    tenantId: string,
    id: string,
    change: { readonly folder?: VoicemailFolder; readonly heardAt?: string },
  ): Promise<VoicemailMessage | undefined> {
    const set: { folder?: string; heard_at?: string } = {};
    if (change.folder !== undefined) set.folder = change.folder;
    if (change.heardAt !== undefined) set.heard_at = change.heardAt;
    if (Object.keys(set).length > 0) {
      let query = this.store.db
        .updateTable('voicemail_messages')
        .set(set)
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id);
      // The first hearing counts; later plays keep it.
      if (change.heardAt !== undefined && change.folder === undefined)
        query = query.where('heard_at', 'is', null);
      await query.execute();
    }
    return this.getMessage(tenantId, id);
  }

  async deleteMessage(tenantId: string, id: string): Promise<VoicemailMessage | undefined> {
    return this.store.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('voicemail_messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      await trx.deleteFrom('voicemail_messages').where('id', '=', id).execute();
      return messageOf(row);
    });
  }

  async countMessages(tenantId: string, box: string): Promise<MessageCounts> {
    const rows = await this.store.db
      .selectFrom('voicemail_messages')
      .select(['folder', 'heard_at'])
      .where('tenant_id', '=', tenantId)
      .where('box', '=', box)
      .execute();
    let fresh = 0;
    for (const row of rows) if (row.folder === 'new' && row.heard_at === null) fresh++;
    return { new: fresh, old: rows.length - fresh };
  }

  async pinState(tenantId: string, box: string): Promise<PinState> {
    const row = await this.store.db
      .selectFrom('voicemail_pin_state')
      .select(['failures', 'locked_until'])
      .where('tenant_id', '=', tenantId)
      .where('box', '=', box)
      .executeTakeFirst();
    return { failures: Number(row?.failures ?? 0), lockedUntil: row?.locked_until ?? undefined };
  }

  async recordPinFailure(
    tenantId: string,
    box: string,
    at: string,
    lockAfter: number,
    lockFor_ms: number,
  ): Promise<PinState> {
    return this.store.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('voicemail_pin_state')
        .select(['failures', 'locked_until'])
        .where('tenant_id', '=', tenantId)
        .where('box', '=', box)
        .executeTakeFirst();
      // A lock that has run out starts a fresh count.
      const expired = row?.locked_until != null && row.locked_until <= at;
      const failures = (expired ? 0 : Number(row?.failures ?? 0)) + 1;
      const lockedUntil =
        failures >= lockAfter
          ? new Date(Date.parse(at) + lockFor_ms).toISOString()
          : expired
            ? null
            : (row?.locked_until ?? null);
      if (row) {
        await trx
          .updateTable('voicemail_pin_state')
          .set({ failures, locked_until: lockedUntil })
          .where('tenant_id', '=', tenantId)
          .where('box', '=', box)
          .execute();
      } else {
        await trx
          .insertInto('voicemail_pin_state')
          .values({ tenant_id: tenantId, box, failures, locked_until: lockedUntil })
          .execute();
      }
      return { failures, lockedUntil: lockedUntil ?? undefined };
    });
  }

  async clearPinFailures(tenantId: string, box: string): Promise<void> {
    await this.store.db
      .deleteFrom('voicemail_pin_state')
      .where('tenant_id', '=', tenantId)
      .where('box', '=', box)
      .execute();
  }

  async putPrompt(prompt: TenantPrompt, wav: Uint8Array): Promise<void> {
    const values = {
      source: prompt.source,
      text: prompt.text ?? null,
      duration_ms: Math.round(prompt.duration_ms),
      sha256: prompt.sha256,
      created_at: prompt.createdAt,
      audio: wav,
    };
    await this.store.db
      .insertInto('tenant_prompts')
      .values({ tenant_id: prompt.tenantId, name: prompt.name, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doUpdateSet(values))
      .execute();
  }

  async getPromptAudio(tenantId: string, name: string): Promise<Uint8Array | undefined> {
    const row = await this.store.db
      .selectFrom('tenant_prompts')
      .select('audio')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? new Uint8Array(row.audio) : undefined;
  }

  async listPrompts(tenantId: string): Promise<TenantPrompt[]> {
    const rows = await this.store.db
      .selectFrom('tenant_prompts')
      .select(['tenant_id', 'name', 'source', 'text', 'duration_ms', 'sha256', 'created_at'])
      .where('tenant_id', '=', tenantId)
      .orderBy('name')
      .execute();
    return rows.map(promptOf);
  }

  async deletePrompt(tenantId: string, name: string): Promise<boolean> {
    const result = await this.store.db
      .deleteFrom('tenant_prompts')
      .where('tenant_id', '=', tenantId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
