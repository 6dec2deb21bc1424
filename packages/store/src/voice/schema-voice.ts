/** Tables of voicemail and tenant prompts (migration 0300). Times are ISO-8601 UTC text. */
export interface VoicemailMessagesTable {
  id: string;
  tenant_id: string;
  box: string;
  folder: string;
  caller: string | null;
  caller_name: string | null;
  received_at: string;
  duration_ms: number;
  heard_at: string | null;
  file: string;
}

export interface VoicemailPinStateTable {
  tenant_id: string;
  box: string;
  failures: number;
  locked_until: string | null;
}

export interface TenantPromptsTable {
  tenant_id: string;
  name: string;
  source: string;
  text: string | null;
  duration_ms: number;
  sha256: string;
  created_at: string;
  audio: Uint8Array;
}

export interface VoiceDatabase {
  voicemail_messages: VoicemailMessagesTable;
  voicemail_pin_state: VoicemailPinStateTable;
  tenant_prompts: TenantPromptsTable;
}
