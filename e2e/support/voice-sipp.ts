import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenarioDir } from './sipp.js';

/** Debian sip-tester's RTP captures: 7 s of PCMA speech and one RFC 4733 event per key. */
export const PCAP_DIR = '/usr/share/sip-tester';
export const speechPcap = join(PCAP_DIR, 'g711a.pcap');
export function dtmfPcap(key: string): string {
  const name = key === '*' ? 'star' : key === '#' ? 'pound' : key;
  return join(PCAP_DIR, `dtmf_2833_${name}.pcap`);
}

export type VoiceStep =
  | { readonly pause_ms: number }
  | { readonly play: string }
  | { readonly keys: string; readonly gap_ms?: number };

/**
 * The voice-call scenario (e2e/sipp/voice-call.xml) with its steps after
 * the ACK: pauses, audio and DTMF played from pcap files. SIPp loads pcaps
 * when it loads the scenario, so each test writes its own scenario file.
 */
export function voiceCallScenario(steps: readonly VoiceStep[]): string {
  const template = readFileSync(join(scenarioDir, 'voice-call.xml'), 'utf8');
  const lines: string[] = [];
  for (const step of steps) {
    if ('pause_ms' in step) lines.push(`  <pause milliseconds="${step.pause_ms}"/>`);
    else if ('play' in step)
      lines.push(`  <nop><action><exec play_pcap_audio="${step.play}"/></action></nop>`);
    else {
      for (const key of step.keys) {
        lines.push(`  <nop><action><exec play_pcap_audio="${dtmfPcap(key)}"/></action></nop>`);
        lines.push(`  <pause milliseconds="${step.gap_ms ?? 400}"/>`);
      }
    }
  }
  const marker = '  <!-- STEPS: e2e/support/voice-sipp.ts puts the pauses and pcap plays here. -->';
  if (!template.includes(marker)) throw new Error('voice-call.xml lost its STEPS marker');
  return template.replace(marker, lines.join('\n'));
}
