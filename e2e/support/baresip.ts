import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BaresipPhone {
  readonly dumpDir: string;
  readonly process: ChildProcess;
  readonly exited: Promise<number | null>;
  log(): string;
  /** The WAV baresip decoded (what the phone heard), once the call ended. */
  heardWav(): string | undefined;
  /** Every call's decoded WAV, oldest first (sndfile names them by the time the call started). */
  heardWavs(): string[];
}

export interface BaresipOptions {
  readonly dir: string;
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  /** Where the PBX listens, e.g. 127.0.0.1:5060. */
  readonly outbound: string;
  readonly sipPort: number;
  readonly rtpPorts: readonly [number, number];
  /** The WAV the phone sends as its microphone. */
  readonly sourceWav: string;
  readonly seconds: number;
  /** Commands to run at start, e.g. `/dial sip:1002@acme.test`. */
  readonly commands?: readonly string[];
  /** Listen for ctrl_tcp commands on 127.0.0.1 at this port (support/baresip-control.ts). */
  readonly controlPort?: number;
}

/**
 * A headless baresip (testing.md): aufile as microphone, aubridge as speaker,
 * the sndfile filter dumping what it sent and heard, auto-answer, and a
 * bounded lifetime (-t).
 */
export function startBaresip(options: BaresipOptions): BaresipPhone {
  const configDir = join(options.dir, 'config');
  const dumpDir = join(options.dir, 'dump');
  mkdirSync(configDir, { recursive: true });
  mkdirSync(dumpDir, { recursive: true });
  writeFileSync(
    join(configDir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${options.sipPort}`,
      `audio_player aubridge,${options.user}`,
      `audio_alert aubridge,${options.user}`,
      `audio_source aufile,${options.sourceWav}`,
      `rtp_ports ${options.rtpPorts[0]}-${options.rtpPorts[1]}`,
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aufile.so',
      'module aubridge.so',
      'module sndfile.so',
      'module_app account.so',
      'module_app menu.so',
      ...(options.controlPort === undefined
        ? []
        : ['module_app ctrl_tcp.so', `ctrl_tcp_listen 127.0.0.1:${options.controlPort}`]),
      `snd_path ${dumpDir}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(configDir, 'accounts'),
    `<sip:${options.user}@${options.domain}>;auth_pass=${options.password};outbound="sip:${options.outbound}";regint=600;answermode=auto;audio_codecs=PCMU\n`,
  );
  const args = ['-f', configDir, '-t', String(options.seconds)];
  for (const command of options.commands ?? []) args.push('-e', command);
  const child = spawn('baresip', args, { cwd: options.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-50_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const killer = setTimeout(() => child.kill('SIGKILL'), (options.seconds + 10) * 1000);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve(code);
    }),
  );
  return {
    dumpDir,
    process: child,
    exited,
    log: () => log,
    heardWav() {
      const name = readdirSync(dumpDir).find((f) => f.endsWith('-dec.wav'));
      return name ? join(dumpDir, name) : undefined;
    },
    heardWavs() {
      return readdirSync(dumpDir)
        .filter((f) => f.endsWith('-dec.wav'))
        .sort()
        .map((f) => join(dumpDir, f));
    },
  };
}
