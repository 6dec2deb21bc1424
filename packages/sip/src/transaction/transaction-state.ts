/** The states of RFC 3261 §17 with RFC 6026's Accepted, per machine. */
export type InviteClientState = 'calling' | 'proceeding' | 'accepted' | 'completed' | 'terminated';
export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';
export type InviteServerState = 'proceeding' | 'accepted' | 'completed' | 'confirmed' | 'terminated';
export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export type TransactionState =
  | InviteClientState
  | NonInviteClientState
  | InviteServerState
  | NonInviteServerState;

/** Legal moves of each machine (Figures 5-8 of RFC 3261 as updated by RFC 6026 §8). */
export const INVITE_CLIENT_MOVES: Readonly<Record<InviteClientState, readonly InviteClientState[]>> = {
  calling: ['proceeding', 'accepted', 'completed', 'terminated'],
  proceeding: ['accepted', 'completed', 'terminated'],
  accepted: ['terminated'],
  completed: ['terminated'],
  terminated: [],
};

export const NON_INVITE_CLIENT_MOVES: Readonly<
  Record<NonInviteClientState, readonly NonInviteClientState[]>
> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};

export const INVITE_SERVER_MOVES: Readonly<Record<InviteServerState, readonly InviteServerState[]>> = {
  proceeding: ['accepted', 'completed', 'terminated'],
  accepted: ['terminated'],
  completed: ['confirmed', 'terminated'],
  confirmed: ['terminated'],
  terminated: [],
};

export const NON_INVITE_SERVER_MOVES: Readonly<
  Record<NonInviteServerState, readonly NonInviteServerState[]>
> = {
  trying: ['proceeding', 'completed', 'terminated'],
  proceeding: ['completed', 'terminated'],
  completed: ['terminated'],
  terminated: [],
};
