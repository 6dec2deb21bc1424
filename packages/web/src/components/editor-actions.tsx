/** An editor form's buttons: save, and delete once the thing exists (`onDelete` given). */
export function EditorActions({
  noun,
  submitting,
  onDelete,
}: {
  /** What is edited, as the buttons name it: "menu", "ring group". */
  noun: string;
  submitting: boolean;
  onDelete?: (() => void) | undefined;
}) {
  return (
    <div className="form-actions">
      <button type="submit" disabled={submitting}>
        {`Save ${noun}`}
      </button>
      {onDelete ? (
        <button type="button" className="danger" onClick={onDelete}>
          {`Delete ${noun}`}
        </button>
      ) : null}
    </div>
  );
}
