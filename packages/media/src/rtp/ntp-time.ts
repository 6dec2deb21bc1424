/**
 * NTP timestamps as RTCP carries them (RFC 3550 §4): seconds since
 * 1900-01-01 in the high word, a binary fraction in the low word.
 */

/** Seconds between the NTP epoch (1900) and the Unix epoch (1970). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;

export interface NtpTimestamp {
  readonly seconds: number;
  readonly fraction: number;
}

export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const totalSeconds = unixMs / 1000 + NTP_UNIX_OFFSET_S;
  const seconds = Math.floor(totalSeconds);
  const fraction = Math.floor((totalSeconds - seconds) * 0x1_0000_0000);
  return { seconds: seconds >>> 0, fraction: fraction >>> 0 };
}

/** The middle 32 bits of the 64-bit timestamp (§6.4.1 LSR; units of 1/65536 s). */
export function ntpMiddle32(ntp: NtpTimestamp): number {
  return (((ntp.seconds & 0xffff) << 16) | (ntp.fraction >>> 16)) >>> 0;
}
