import type { Dialog, Target } from '@telekommune/sip';

/**
 * The party on a call's B side, however it got there: a device the B2BUA
 * rang (OutboundLeg, where we are the UAC) or a phone that picked the call
 * up (InboundLeg, where we are the UAS). In-dialog requests reach it over
 * `dialog` at `target`.
 */
export interface CalleeLeg {
  readonly dialog: Dialog | undefined;
  readonly target: Target;
  /** The extension (or number) on this leg, for the CDR. */
  readonly label: string;
  /** Ends the confirmed dialog with BYE. */
  bye(): Promise<void>;
}
