import { type ReactNode, useId, useRef, useState } from 'react';
import { ApiFailure, type UploadProgress, upload } from '../api/client.js';
import { ErrorNotice, StatusNotice } from './notices.js';

function size(octets: number): string {
  if (octets < 1024) return `${octets} bytes`;
  if (octets < 1024 * 1024) return `${(octets / 1024).toFixed(1)} KiB`;
  return `${(octets / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * A file picked and sent as the body of a PUT, with a progress bar while it
 * uploads. `done` turns the server's answer into a sentence.
 */
export function FileUpload<T>({
  label,
  hint,
  accept,
  contentType,
  path,
  button,
  maxOctets,
  done,
  onUploaded,
}: {
  label: string;
  hint: ReactNode;
  accept: string;
  contentType: string;
  /** Where the file goes; undefined while the form is not ready (e.g. no name yet). */
  path: string | undefined;
  button: string;
  maxOctets: number;
  done: (answer: T) => string;
  onUploaded?: (answer: T) => void;
}) {
  const inputId = useId();
  const hintId = useId();
  const progressId = useId();
  const file = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<UploadProgress | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const abort = useRef<AbortController | undefined>(undefined);

  const send = async () => {
    const chosen = file.current?.files?.[0];
    setFailure(undefined);
    setMessage(undefined);
    if (!chosen) return setFailure(new Error('Choose a file first.'));
    if (!path) return setFailure(new Error('Fill in the fields above first.'));
    if (chosen.size > maxOctets)
      return setFailure(new Error(`The file is ${size(chosen.size)}; at most ${size(maxOctets)}.`));
    setBusy(true);
    setProgress({ loaded: 0, total: chosen.size });
    abort.current = new AbortController();
    try {
      const answer = await upload<T>('PUT', path, chosen, contentType, setProgress, abort.current.signal);
      setMessage(done(answer));
      if (file.current) file.current.value = '';
      onUploaded?.(answer);
    } catch (error) {
      setFailure(error instanceof ApiFailure || error instanceof Error ? error : new Error(String(error)));
      setProgress(undefined);
    } finally {
      setBusy(false);
      abort.current = undefined;
    }
  };

  const percent = progress && progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;
  return (
    <div className="upload">
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          ref={file}
          type="file"
          accept={accept}
          aria-describedby={hintId}
          disabled={busy}
        />
        <span className="hint" id={hintId}>
          {hint}
        </span>
      </div>
      <div className="form-actions">
        <button type="button" onClick={() => void send()} disabled={busy}>
          {button}
        </button>
        {busy ? (
          <button type="button" className="secondary" onClick={() => abort.current?.abort()}>
            Cancel upload
          </button>
        ) : null}
      </div>
      {progress ? (
        <div className="progress">
          <label htmlFor={progressId}>Upload progress</label>
          <progress id={progressId} max={100} value={percent}>
            {percent} %
          </progress>
          <span aria-live="polite">
            {busy && percent === 100
              ? 'Sent; the server is checking it…'
              : `${percent} % (${size(progress.loaded)} of ${size(progress.total)})`}
          </span>
        </div>
      ) : null}
      <ErrorNotice error={failure} />
      {message ? <StatusNotice>{message}</StatusNotice> : null}
    </div>
  );
}
