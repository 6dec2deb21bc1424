import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTelephonyPcm, rmsDbfs } from '@telekommune/media';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPbx, type TestPbx } from './support/pbx.js';
import { freePort } from './support/ports.js';
import { credentials, injection, scenarioDir, sipp } from './support/sipp.js';
import { hasTool } from './support/tools.js';
import { requestsIn } from './support/trunks.js';
import { speechPcap, voiceCall } from './support/voice-sipp.js';

const haveSipp = hasTool('sipp', 'sip-tester');

interface Mail {
  readonly to: string;
  readonly raw: string;
}

describe.runIf(haveSipp)(
  'voicemail from SIPp: leave a message, find it through the API, MWI and e-mail',
  () => {
    let pbx: TestPbx;
    let smtp: SMTPServer;
    const mails: Mail[] = [];
    let token: string;

    beforeAll(async () => {
      smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS'],
        onData(stream, session, callback) {
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            mails.push({
              to: session.envelope.rcptTo.map((r) => r.address).join(','),
              raw: Buffer.concat(chunks).toString('utf8'),
            });
            callback();
          });
        },
      });
      const smtpPort = await freePort();
      await new Promise<void>((resolve) => smtp.listen(smtpPort, '127.0.0.1', resolve));
      pbx = await startTestPbx({ env: { TK_SMTP_URL: `smtp://127.0.0.1:${smtpPort}` } });
      await pbx.provision({
        tenants: [
          {
            id: 'acme',
            name: 'ACME',
            domain: 'acme.test',
            timeZone: 'Europe/Berlin',
            extensions: [
              { number: '1001', name: 'Alice', password: 'alice-secret-1' },
              {
                number: '1002',
                name: 'Bob',
                password: 'bob-secret-22',
                voicemail: { pin: '4321', email: 'bob@acme.test', unsolicitedMwi: true },
              },
            ],
          },
          {
            id: 'beta',
            name: 'Beta',
            domain: 'beta.test',
            extensions: [{ number: '1002', name: 'B', password: 'beta-secret-22' }],
          },
        ],
      });
      token = (await pbx.running.context.tokens.create('tenant', 'voice test', 'acme')).token;
    });

    afterAll(async () => {
      await pbx?.close();
      await new Promise<void>((resolve) => smtp?.close(() => resolve()));
    });

    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${pbx.running.httpUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, ...init.headers },
      });

    it('takes a message for an unreachable extension, keeps it as a WAV with audio, lights the lamp, mails it', async () => {
      const target = `127.0.0.1:${pbx.sipPort}`;
      // Bob's phone watches his box.
      const watcher = sipp(
        [
          target,
          '-sf',
          join(scenarioDir, 'mwi-subscribe.xml'),
          '-inf',
          'users.csv',
          '-m',
          '1',
          '-i',
          '127.0.0.1',
          '-p',
          String(await freePort()),
          '-auth_uri',
          '1002@acme.test',
        ],
        {
          files: { 'users.csv': injection([['1002', 'acme.test', credentials('1002', 'bob-secret-22')]]) },
          timeout_s: 60,
        },
      );
      const mwi = pbx.running.context.pbx.sip.mwi!;
      for (let i = 0; i < 100 && mwi.size === 0; i++) await new Promise((r) => setTimeout(r, 100));
      if (mwi.size === 0) {
        watcher.stop();
        const r = await watcher.done;
        throw new Error(`no subscription: ${r.output}\n${r.messages.slice(-4000)}`);
      }

      // Alice calls Bob, who has no phone registered: the greeting (about 12 s), the beep, 7 s of speech, hang up.
      const caller = await (
        await voiceCall(
          pbx,
          '1001',
          'acme.test',
          '1002',
          [{ pause_ms: 13_000 }, { play: speechPcap }, { pause_ms: 8000 }],
          { password: 'alice-secret-1', timeout_s: 45 },
        )
      ).done;
      expect(caller.successful, caller.output).toBe(1);

      let messages: {
        id: string;
        box: string;
        folder: string;
        caller: string;
        duration_ms: number;
        heardAt: string | null;
      }[] = [];
      for (let i = 0; i < 50 && messages.length === 0; i++) {
        messages = (await (
          await api('/api/tenants/acme/voicemail/messages?box=1002')
        ).json()) as typeof messages;
        if (messages.length === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(messages).toHaveLength(1);
      const message = messages[0]!;
      expect(message).toMatchObject({ box: '1002', folder: 'new', caller: '1001', heardAt: null });
      // g711a.pcap holds 7.05 s of speech; trailing silence is cut to 250 ms.
      expect(message.duration_ms).toBeGreaterThan(6000);
      expect(message.duration_ms).toBeLessThan(8500);

      const audio = await api(`/api/tenants/acme/voicemail/messages/${message.id}/audio`);
      expect(audio.status).toBe(200);
      expect(audio.headers.get('content-type')).toBe('audio/wav');
      const wav = Buffer.from(await audio.arrayBuffer());
      const path = join(pbx.running.context.voice.settings.voicemailDir, 'acme', '1002', `${message.id}.wav`);
      expect(readFileSync(path).equals(wav)).toBe(true);
      const samples = await readTelephonyPcm(path);
      expect(Math.abs(samples.length / 8 - message.duration_ms)).toBeLessThan(2);
      // Most 100 ms windows carry sound, not silence.
      let loud = 0;
      let windows = 0;
      for (let at = 0; at + 800 <= samples.length; at += 800) {
        windows++;
        if (rmsDbfs(samples.subarray(at, at + 800)) > -45) loud++;
      }
      expect(loud / windows).toBeGreaterThan(0.5);

      const lamp = await watcher.done;
      expect(lamp.successful, lamp.output + lamp.messages.slice(-3000)).toBe(1);
      expect(mwi.size).toBe(0);

      for (let i = 0; i < 50 && mails.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toBe('bob@acme.test');
      expect(mails[0]!.raw).toContain('New voicemail from');
      expect(mails[0]!.raw).toMatch(/filename="?voicemail-[0-9a-f-]+\.wav/);

      // A desk phone that never subscribes (unsolicited MWI): registering lights its lamp at once,
      // and marking the message heard puts it out. SIPp takes the NOTIFYs on the contact's port.
      const deskPort = await freePort();
      const desk = sipp(
        [
          '-sf',
          join(scenarioDir, 'mwi-unsolicited.xml'),
          '-i',
          '127.0.0.1',
          '-p',
          String(deskPort),
          '-m',
          '2',
        ],
        {
          timeout_s: 60,
        },
      );
      const registerDesk = async (expires: number) =>
        (
          await sipp(
            [
              target,
              '-sf',
              join(scenarioDir, 'register.xml'),
              '-inf',
              'users.csv',
              '-m',
              '1',
              '-i',
              '127.0.0.1',
              '-p',
              String(await freePort()),
              '-auth_uri',
              'acme.test',
            ],
            {
              files: {
                'users.csv': injection([
                  [
                    '1002',
                    'acme.test',
                    credentials('1002', 'bob-secret-22'),
                    String(deskPort),
                    String(expires),
                  ],
                ]),
              },
            },
          ).done
        ).successful;
      expect(await registerDesk(600)).toBe(1);
      const location = pbx.running.context.location;
      expect(location.lookup('acme', '1002')).toHaveLength(1);
      // Let the lamp-on NOTIFY of the registration go out before the box changes.
      await new Promise((r) => setTimeout(r, 1000));

      // Heard, moved, deleted through the API; users of other boxes and tenants see none of it.
      const heard = (await (
        await api(`/api/tenants/acme/voicemail/messages/${message.id}/heard`, { method: 'POST' })
      ).json()) as { heardAt: string | null };
      expect(heard.heardAt).not.toBeNull();
      expect(await pbx.running.context.voice.voicemail.counts('acme', '1002')).toEqual({ new: 0, old: 1 });
      const lamp2 = await desk.done;
      expect(lamp2.successful, lamp2.output + lamp2.messages.slice(-3000)).toBe(2);
      const notifies = requestsIn(lamp2.messages, 'NOTIFY');
      expect(notifies.map((n) => /Voice-Message: (\d+\/\d+)/.exec(n)?.[1])).toEqual(['1/0', '0/1']);
      expect(notifies[0]).toMatch(/^Messages-Waiting: yes/m);
      expect(notifies[1]).toMatch(/^Messages-Waiting: no/m);
      expect(await registerDesk(0)).toBe(1);
      expect(location.lookup('acme', '1002')).toEqual([]);
      const moved = await api(`/api/tenants/acme/voicemail/messages/${message.id}/move`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ folder: 'saved' }),
      });
      expect(((await moved.json()) as { folder: string }).folder).toBe('saved');
      const other = (await pbx.running.context.tokens.create('tenant', 'other', 'beta')).token;
      const foreign = await fetch(
        `${pbx.running.httpUrl}/api/tenants/acme/voicemail/messages/${message.id}/audio`,
        {
          headers: { authorization: `Bearer ${other}` },
        },
      );
      expect(foreign.status).toBe(404);
      expect(
        (await api(`/api/tenants/acme/voicemail/messages/${message.id}`, { method: 'DELETE' })).status,
      ).toBe(204);
      expect(() => readFileSync(path)).toThrow();
      expect(await (await api('/api/tenants/acme/voicemail/messages')).json()).toEqual([]);
    }, 90_000);
  },
);
