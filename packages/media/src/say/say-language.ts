import type { CalendarParts } from './calendar-parts.js';

/** A prompt id (see prompts/<language>/catalogue.json). */
export type PromptId = string;

/**
 * Speaking values as sequences of prompt ids, in one language. Word order,
 * number grammar and date conventions differ by language, so each language
 * implements all of it; the PBX only asks for "the date" or "the count".
 */
export interface SayLanguage {
  readonly code: string;
  /** A cardinal number (0 to 999,999,999). */
  number(value: number): PromptId[];
  /** Digit by digit: "1234" -> one two three four; '*' and '#' included. */
  digits(text: string): PromptId[];
  /** 1-31 as an ordinal (for dates). */
  ordinal(value: number): PromptId[];
  /** A date relative to `now`: today, yesterday, or weekday month ordinal (and year if not this one). */
  date(when: CalendarParts, now: CalendarParts): PromptId[];
  /** A time of day. */
  time(when: CalendarParts): PromptId[];
  /** An extension number. */
  extension(extension: string): PromptId[];
  /** "You have 2 new messages and 1 saved message" / "You have no messages". */
  messageCount(newCount: number, savedCount: number): PromptId[];
  /** The voicemail envelope: "Received <date> at <time> from <number>" / "from an unknown caller". */
  envelope(received: CalendarParts, now: CalendarParts, caller: string | undefined): PromptId[];
}
