export const DIALOG_INFO_TYPE = 'application/dialog-info+xml';

/** RFC 4235 §3.7.1: the states a dialog passes through, as a busy lamp shows them. */
export type DialogState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

/** One dialog of the watched extension, as a dialog-info document tells it (RFC 4235 §4.1.6). */
export interface DialogView {
  /** Unique among the extension's dialogs (RFC 4235 §4.1.6.1 `id`). */
  readonly id: string;
  /** initiator: the extension called; recipient: it was called. */
  readonly direction: 'initiator' | 'recipient';
  readonly state: DialogState;
  /** The party on the other end, when it is known (RFC 4235 §4.1.6.3 `remote`). */
  readonly remote?: { readonly identity: string; readonly display?: string | undefined } | undefined;
}

/** XML 1.0 §2.4 and §3.3.3: the five characters that may not stand for themselves in text or attributes. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/**
 * Text for an element or attribute: characters XML 1.0 (§2.2 Char) cannot
 * carry at all, not even escaped, are dropped (control characters; a
 * display name is what a user typed), and line breaks and tabs become
 * spaces, as an attribute value would turn them anyway (§3.3.3).
 */
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

function xmlText(text: string): string {
  return escapeXml(text.replace(NOT_XML, '').replace(/[\t\r\n]/g, ' '));
}

/**
 * A dialog-info document (RFC 4235 §4): always full state, `version` counting
 * the NOTIFYs of one subscription from 0 (§4.1.2), `entity` the watched
 * extension's address of record.
 */
export function formatDialogInfo(entity: string, version: number, dialogs: readonly DialogView[]): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="full" entity="${xmlText(entity)}">`,
  ];
  for (const dialog of dialogs) {
    lines.push(`  <dialog id="${xmlText(dialog.id)}" direction="${dialog.direction}">`);
    lines.push(`    <state>${dialog.state}</state>`);
    const remote = dialog.remote;
    if (remote) {
      const display = remote.display ? ` display="${xmlText(remote.display)}"` : '';
      lines.push(
        '    <remote>',
        `      <identity${display}>${xmlText(remote.identity)}</identity>`,
        `      <target uri="${xmlText(remote.identity)}"/>`,
        '    </remote>',
      );
    }
    lines.push('  </dialog>');
  }
  lines.push('</dialog-info>', '');
  return lines.join('\r\n');
}
