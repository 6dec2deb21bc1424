import type { InviteServerTransaction } from './invite-server-transaction.js';
import type { NonInviteServerTransaction } from './non-invite-server-transaction.js';

export type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;
