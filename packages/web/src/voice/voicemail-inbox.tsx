import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useRef, useState } from 'react';
import type { Ok } from '../api/client.js';
import { DataTable } from '../components/data-table.js';
import { ErrorNotice, StatusNotice } from '../components/notices.js';
import { useLoad } from '../components/use-load.js';
import { WhenLoaded } from '../components/when-loaded.js';

export type VoicemailMessage = Ok<'/api/me/voicemail/messages', 'get'>[number];
export type Folder = VoicemailMessage['folder'];
const column = createColumnHelper<VoicemailMessage>();

/** What the inbox does with the API: the tenant's routes for admins, /api/me for a box's owner. */
export interface InboxApi {
  list(folder: Folder | undefined): Promise<VoicemailMessage[]>;
  audioUrl(message: VoicemailMessage): string;
  heard(message: VoicemailMessage): Promise<unknown>;
  move(message: VoicemailMessage, folder: Folder): Promise<unknown>;
  remove(message: VoicemailMessage): Promise<unknown>;
}

function from(m: VoicemailMessage): string {
  if (m.callerName && m.caller) return `${m.callerName} (${m.caller})`;
  return m.callerName ?? m.caller ?? 'unknown caller';
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/**
 * Voicemail messages with a player: play (which marks the message heard),
 * mark heard, save or move back to new, delete. `reloadKey` reloads the list.
 */
export function VoicemailInbox({ inbox, reloadKey }: { inbox: InboxApi; reloadKey: string }) {
  const [folder, setFolder] = useState<Folder | ''>('');
  const messages = useLoad(() => inbox.list(folder || undefined), [reloadKey, folder]);
  const [playing, setPlaying] = useState<VoicemailMessage | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const player = useRef<HTMLAudioElement>(null);

  // A new message in the player starts playing (the click that chose it allows sound).
  useEffect(() => {
    if (!playing || !player.current) return;
    player.current.load();
    player.current.play().catch((error: unknown) => setFailure(error));
  }, [playing]);

  const act = async (what: () => Promise<unknown>, message: string) => {
    setFailure(undefined);
    setDone(undefined);
    try {
      await what();
      setDone(message);
      messages.reload();
    } catch (error) {
      setFailure(error);
    }
  };

  const play = (m: VoicemailMessage) => {
    setFailure(undefined);
    setDone(undefined);
    setPlaying(m);
    if (!m.heardAt) void act(() => inbox.heard(m), `Playing the message from ${from(m)}.`);
  };

  const remove = (m: VoicemailMessage) => {
    if (!window.confirm(`Delete the message from ${from(m)}? It cannot be brought back.`)) return;
    if (playing?.id === m.id) setPlaying(undefined);
    void act(() => inbox.remove(m), 'Message deleted.');
  };

  const columns = [
    column.accessor((m) => new Date(m.receivedAt).toLocaleString(), { id: 'received', header: 'Received' }),
    ...(new Set(messages.data?.map((m) => m.box)).size > 1
      ? [column.accessor('box', { header: 'Box' })]
      : []),
    column.accessor((m) => from(m), { id: 'from', header: 'From' }),
    column.accessor((m) => seconds(m.duration_ms), { id: 'length', header: 'Length' }),
    column.accessor((m) => (m.heardAt ? m.folder : `${m.folder}, unheard`), {
      id: 'state',
      header: 'Folder',
    }),
    column.display({
      id: 'actions',
      header: 'Actions',
      cell: (c) => {
        const m = c.row.original;
        return (
          <div className="row-actions">
            <button type="button" className="small" onClick={() => play(m)}>
              Play message from {from(m)}
            </button>
            {m.heardAt ? null : (
              <button
                type="button"
                className="secondary small"
                onClick={() => void act(() => inbox.heard(m), 'Marked heard.')}
              >
                Mark heard
              </button>
            )}
            {m.folder === 'new' ? (
              <button
                type="button"
                className="secondary small"
                onClick={() => void act(() => inbox.move(m, 'saved'), 'Moved to saved.')}
              >
                Save
              </button>
            ) : (
              <button
                type="button"
                className="secondary small"
                onClick={() => void act(() => inbox.move(m, 'new'), 'Moved to new.')}
              >
                Move to new
              </button>
            )}
            <button type="button" className="danger small" onClick={() => remove(m)}>
              Delete
            </button>
          </div>
        );
      },
    }),
  ];

  return (
    <>
      <div className="filters form-grid">
        <div className="field">
          <label htmlFor="voicemail-folder">Folder</label>
          <select
            id="voicemail-folder"
            value={folder}
            onChange={(event) => setFolder(event.target.value as Folder | '')}
          >
            <option value="">All messages</option>
            <option value="new">New</option>
            <option value="saved">Saved</option>
          </select>
        </div>
      </div>
      <ErrorNotice error={failure ?? messages.error} />
      {done ? <StatusNotice>{done}</StatusNotice> : null}
      {playing ? (
        <figure className="player">
          <figcaption id="player-caption">
            Message from {from(playing)}, {new Date(playing.receivedAt).toLocaleString()}
          </figcaption>
          {/* biome-ignore lint/a11y/useMediaCaption: voicemail is a caller's recording; there is no transcript */}
          <audio
            ref={player}
            controls
            preload="auto"
            aria-labelledby="player-caption"
            src={inbox.audioUrl(playing)}
          />
        </figure>
      ) : null}
      <WhenLoaded load={messages}>
        {(data) => (
          <DataTable caption="Messages" columns={columns as never} data={data} empty="No messages." />
        )}
      </WhenLoaded>
    </>
  );
}
