import type { InviteClientTransaction } from './invite-client-transaction.js';
import type { NonInviteClientTransaction } from './non-invite-client-transaction.js';

export type ClientTransaction = InviteClientTransaction | NonInviteClientTransaction;
