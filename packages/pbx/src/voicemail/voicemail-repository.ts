/** The folders of a voicemail box. */
export const voicemailFolders = ['new', 'saved'] as const;
export type VoicemailFolder = (typeof voicemailFolders)[number];

/** One message in a box; its audio is `file` in the box's directory. */
export interface VoicemailMessage {
  readonly id: string;
  readonly tenantId: string;
  readonly box: string;
  readonly folder: VoicemailFolder;
  /** The caller's number (extension or E.164), when known. */
  readonly caller: string | undefined;
  readonly callerName: string | undefined;
  /** ISO-8601 UTC. */
  readonly receivedAt: string;
  readonly duration_ms: number;
  /** When it was first played (phone or console); undefined while unheard. ISO-8601 UTC. */
  readonly heardAt: string | undefined;
  /** The WAV's file name inside the box directory (`<id>.wav`). */
  readonly file: string;
}

/** What the message-waiting lamp shows (RFC 3842 Voice-Message: new/old). */
export interface MessageCounts {
  /** Unheard messages in the new folder. */
  readonly new: number;
  /** Every other message. */
  readonly old: number;
}

export interface PinState {
  /** Wrong PINs in a row (reset by a right one). */
  readonly failures: number;
  /** ISO-8601 UTC; the box refuses every PIN until then. */
  readonly lockedUntil: string | undefined;
}

/** Prompts a tenant uploaded (or had rendered from text) for its menus. */
export interface TenantPrompt {
  readonly tenantId: string;
  readonly name: string;
  readonly source: 'upload' | 'speech';
  /** For `speech`: the text it was rendered from. */
  readonly text: string | undefined;
  readonly duration_ms: number;
  readonly sha256: string;
  readonly createdAt: string;
}

/** The storage port of voicemail and tenant prompts; packages/store implements it. */
export interface VoiceRepository {
  /** Stores a message; false (and nothing changed) when its id exists (recovery reports at least once). */
  insertMessage(message: VoicemailMessage): Promise<boolean>;
  /** A tenant's messages, of one box and folder when given, oldest first. */
  listMessages(tenantId: string, box?: string, folder?: VoicemailFolder): Promise<VoicemailMessage[]>;
  getMessage(tenantId: string, id: string): Promise<VoicemailMessage | undefined>;
  /** Moves and/or marks heard; undefined when there is no such message. */
  updateMessage(
    tenantId: string,
    id: string,
    change: { readonly folder?: VoicemailFolder; readonly heardAt?: string },
  ): Promise<VoicemailMessage | undefined>;
  /** Removes the row; returns what it was (the caller removes the file). */
  deleteMessage(tenantId: string, id: string): Promise<VoicemailMessage | undefined>;
  countMessages(tenantId: string, box: string): Promise<MessageCounts>;
  pinState(tenantId: string, box: string): Promise<PinState>;
  /** Counts a wrong PIN; locks the box until `at + lockFor_ms` once `lockAfter` are reached in a row. */
  recordPinFailure(
    tenantId: string,
    box: string,
    at: string,
    lockAfter: number,
    lockFor_ms: number,
  ): Promise<PinState>;
  clearPinFailures(tenantId: string, box: string): Promise<void>;
  putPrompt(prompt: TenantPrompt, wav: Uint8Array): Promise<void>;
  getPromptAudio(tenantId: string, name: string): Promise<Uint8Array | undefined>;
  listPrompts(tenantId: string): Promise<TenantPrompt[]>;
  deletePrompt(tenantId: string, name: string): Promise<boolean>;
}
