import { useCallback, useRef, useState } from 'react';
import { type CommandOutcome, newCommandKey, outcomeText } from './command.js';

export interface CommandState {
  /** The outcome of the last command sent, as a sentence. */
  readonly done: string | undefined;
  readonly failure: unknown;
  /**
   * Sends a command built with this form's idempotency key; the key changes
   * only once the command is recorded. Returns the outcome, or undefined on
   * failure (then `failure` says why, after `mapFailure`, e.g. `applyIssues`).
   */
  run(
    send: (idempotency_key: string) => Promise<CommandOutcome>,
    mapFailure?: (error: unknown) => unknown,
  ): Promise<CommandOutcome | undefined>;
  clear(): void;
}

/** State for one command form: its idempotency key, last outcome and failure. */
export function useCommand(type: string, onDone?: () => void): CommandState {
  const key = useRef(newCommandKey(type));
  const [done, setDone] = useState<string | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);
  const run = useCallback(
    async (
      send: (idempotency_key: string) => Promise<CommandOutcome>,
      mapFailure?: (error: unknown) => unknown,
    ) => {
      setDone(undefined);
      setFailure(undefined);
      try {
        const outcome = await send(key.current);
        key.current = newCommandKey(type);
        setDone(outcomeText(outcome));
        onDone?.();
        return outcome;
      } catch (error) {
        setFailure(mapFailure ? mapFailure(error) : error);
        return undefined;
      }
    },
    [type, onDone],
  );
  const clear = useCallback(() => {
    setDone(undefined);
    setFailure(undefined);
  }, []);
  return { done, failure, run, clear };
}
