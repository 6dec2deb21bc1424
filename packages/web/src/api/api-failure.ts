export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** A refusal from the API: its stable code, message and per-field issues. */
export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: readonly Issue[] = [],
  ) {
    super(message);
  }
}
