import { z } from 'zod';

/** Most participants any room may allow (the mixer's work per 20 ms tick grows with it). */
export const MAX_CONFERENCE_PARTICIPANTS = 100;

/**
 * A conference room (pbx.md §4, docs/conferences.md): callers reach it by
 * dialling its number or through `conference:ID` (DIDs, IVR options,
 * forwarding), type its PIN when it has one, and hear each other mixed.
 */
export const conferenceRoomConfigSchema = z.strictObject({
  id: z.string({ error: 'expected a room id' }).regex(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/, {
    error: 'expected 1 to 32 lowercase letters, digits or inner hyphens',
  }),
  name: z.string().trim().min(1, { error: 'expected a name' }).max(80),
  /** What extensions dial to reach the room; must not clash with an extension, ring group or menu. */
  number: z
    .string({ error: 'expected 2 to 6 digits as a quoted string' })
    .regex(/^[0-9]{2,6}$/, { error: 'expected 2 to 6 digits' })
    .optional(),
  /** Callers must type this (then #) to join: 4 to 12 digits. */
  pin: z
    .string({ error: 'expected a PIN of 4 to 12 digits as a quoted string' })
    .regex(/^[0-9]{4,12}$/, { error: 'expected a PIN of 4 to 12 digits' })
    .optional(),
  /** Callers in the room at once; the next one hears that it is full. */
  maxParticipants: z.number().int().min(2).max(MAX_CONFERENCE_PARTICIPANTS).default(20),
});

export type ConferenceRoomConfig = z.output<typeof conferenceRoomConfigSchema>;
