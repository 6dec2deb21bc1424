/**
 * Asks `question` (window.confirm); once confirmed, sends `request` and then
 * runs `done`; a failure of either goes to `failed` (for an ErrorNotice).
 */
export async function confirmedRequest(
  question: string,
  request: () => Promise<unknown>,
  done: () => void,
  failed: (error: unknown) => void,
): Promise<void> {
  if (!window.confirm(question)) return;
  try {
    await request();
    done();
  } catch (error) {
    failed(error);
  }
}
