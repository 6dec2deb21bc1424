import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dtmfPcap } from './dtmf-pcap.js';
import { freePort, freePortBlock } from './ports.js';
import { credentials, injection, type SippRun, scenarioDir, sipp } from './sipp.js';
import { password, type SipTarget } from './sipp-calls.js';

/** Debian sip-tester's RTP captures: 7 s of PCMA speech (keys come from support/dtmf-pcap.ts). */
export const PCAP_DIR = '/usr/share/sip-tester';
export const speechPcap = join(PCAP_DIR, 'g711a.pcap');

export type VoiceStep =
  | { readonly pause_ms: number }
  | { readonly play: string }
  | { readonly keys: string; readonly gap_ms?: number }
  /** Keys sent as SIP INFO (application/dtmf-relay), one request each. */
  | { readonly info: string; readonly gap_ms?: number };

export interface VoiceCallOptions {
  /** Who ends the call: the caller's BYE after the steps (default), or the PBX's BYE, answered with 200. */
  readonly hangup?: 'caller' | 'pbx';
}

/** The INFO body for a key (application/dtmf-relay: * is signal 10, # is 11). */
function dtmfRelaySignal(key: string): string {
  return key === '*' ? '10' : key === '#' ? '11' : key;
}

function infoRequest(key: string, cseq: number): string {
  return `  <send retrans="500">
    <![CDATA[
      INFO [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];rport;branch=[branch]
      [routes]
      From: <sip:[field0]@[field1]>;tag=[pid]c[call_number]
      To: <sip:[field3]@[field1]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${cseq} INFO
      Max-Forwards: 70
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal=${dtmfRelaySignal(key)}
      Duration=160

    ]]>
  </send>
  <recv response="200"/>`;
}

const ANSWER_BYE = `  <recv request="BYE"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>`;

/**
 * The voice-call scenario (e2e/sipp/voice-call.xml) with its steps after
 * the ACK: pauses, audio and DTMF played from pcap files. SIPp loads pcaps
 * when it loads the scenario, so each test writes its own scenario file.
 */
export function voiceCallScenario(steps: readonly VoiceStep[], options: VoiceCallOptions = {}): string {
  const template = readFileSync(join(scenarioDir, 'voice-call.xml'), 'utf8');
  const lines: string[] = [];
  // In-dialog requests after the INVITE (CSeq 2) count up from 3; the BYE comes last.
  let cseq = 3;
  let keyIndex = 0;
  for (const step of steps) {
    if ('pause_ms' in step) lines.push(`  <pause milliseconds="${step.pause_ms}"/>`);
    else if ('play' in step)
      lines.push(`  <nop><action><exec play_pcap_audio="${step.play}"/></action></nop>`);
    else if ('info' in step) {
      for (const key of step.info) {
        lines.push(infoRequest(key, cseq++));
        lines.push(`  <pause milliseconds="${step.gap_ms ?? 400}"/>`);
      }
    } else {
      for (const key of step.keys) {
        // Each press its own RTP timestamp, so the same key twice is two presses.
        lines.push(`  <nop><action><exec play_pcap_audio="${dtmfPcap(key, keyIndex++)}"/></action></nop>`);
        lines.push(`  <pause milliseconds="${step.gap_ms ?? 400}"/>`);
      }
    }
  }
  const marker = '  <!-- STEPS: e2e/support/voice-sipp.ts puts the pauses and pcap plays here. -->';
  if (!template.includes(marker)) throw new Error('voice-call.xml lost its STEPS marker');
  const bye = / {2}<send retrans="500">\s*<!\[CDATA\[\s*BYE [\s\S]*?<recv response="200"\/>/;
  if (!bye.test(template)) throw new Error('voice-call.xml lost its closing BYE');
  const withSteps = template.replace(marker, lines.join('\n'));
  return options.hangup === 'pbx'
    ? withSteps.replace(bye, ANSWER_BYE)
    : withSteps.replace('CSeq: 3 BYE', `CSeq: ${cseq} BYE`);
}

export interface VoiceCallerOptions extends VoiceCallOptions {
  /** The caller's SIP password (default `password(caller)` of support/sipp-calls.ts). */
  readonly password?: string;
  /** SIPp's bound on the call (default 40 s). */
  readonly timeout_s?: number;
}

/** `caller` of `domain` dials `callee` with digest credentials and plays `steps` once answered. */
export async function voiceCall(
  pbx: SipTarget,
  caller: string,
  domain: string,
  callee: string,
  steps: readonly VoiceStep[],
  options: VoiceCallerOptions = {},
): Promise<SippRun> {
  const secret = options.password ?? password(caller);
  return sipp(
    [
      `127.0.0.1:${pbx.sipPort}`,
      '-sf',
      'scenario.xml',
      '-inf',
      'users.csv',
      '-m',
      '1',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-mp',
      String(await freePortBlock(4)),
      '-auth_uri',
      `${callee}@${domain}`,
    ],
    {
      files: {
        'scenario.xml': voiceCallScenario(steps, options),
        'users.csv': injection([[caller, domain, credentials(caller, secret), callee]]),
      },
      timeout_s: options.timeout_s ?? 40,
    },
  );
}
