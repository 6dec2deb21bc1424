import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeWav } from '@telekommune/media';
import { openStore, SqlVoiceRepository } from '@telekommune/store';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, startConsole } from './support/console.js';
import { freePort } from './support/ports.js';
import { hasTool } from './support/tools.js';
import { voiceCall } from './support/voice-sipp.js';

/** A tone as 16-bit samples: `seconds` of `hz` at `rate`, interleaved over `channels`. */
function tone(seconds: number, hz: number, rate = 8000, channels = 1): Int16Array {
  const frames = Math.round(seconds * rate);
  const samples = new Int16Array(frames * channels);
  for (let i = 0; i < frames; i++) {
    const value = Math.round(8000 * Math.sin((2 * Math.PI * hz * i) / rate));
    for (let c = 0; c < channels; c++) samples[i * channels + c] = value;
  }
  return samples;
}

/** What the test reads of an HTMLMediaElement (the e2e project has no DOM types). */
interface MediaState {
  readonly error: { readonly code: number } | null;
  readonly currentTime: number;
  readonly duration: number;
  readonly ended: boolean;
}

/** Waits until the page's audio element has played some of its media without an error. */
async function played(page: Page): Promise<{ duration: number; error: number | null }> {
  const audio = page.locator('audio');
  const state = () =>
    audio.evaluate((element) => {
      const a = element as unknown as MediaState;
      return {
        playing: a.error !== null || a.currentTime > 0.2 || a.ended,
        duration: a.duration,
        error: a.error?.code ?? null,
      };
    });
  await expect.poll(async () => (await state()).playing, { timeout: 15_000 }).toBe(true);
  const { duration, error } = await state();
  return { duration, error };
}

/**
 * Voice in the console: a tenant admin builds business hours, uploads a
 * greeting and builds an IVR menu with it; voicemail seeded into the store
 * is played by its owner (my voicemail) and by the admin (the inbox), then
 * saved and deleted.
 */
describe.runIf(hasTool('chromium', 'chromium'))('voice in the console', () => {
  let h: ConsoleHarness;
  let sipPort: number;
  const messages = { fromBob: randomUUID(), fromOutside: randomUUID() };

  beforeAll(async () => {
    sipPort = await freePort();
    h = await startConsole('tk-console-voice-', { sipPort });
    const extension = (await h.api('/api/tenants/demo/extensions/1001')).body as Record<string, unknown>;
    const withBox = await h.api('/api/tenants/demo/extensions/1001', {
      method: 'PUT',
      body: JSON.stringify({ ...extension, voicemail: { pin: '4321' } }),
    });
    expect(withBox.status, JSON.stringify(withBox.body)).toBe(200);
    // Two messages as the voicemail application stores them: a row, and the WAV in the box's directory.
    const box = join(h.dir, 'voicemail', 'demo', '1001');
    mkdirSync(box, { recursive: true });
    const store = openStore({ url: join(h.dir, 'telekommune.db') });
    try {
      const repository = new SqlVoiceRepository(store);
      for (const [id, caller, callerName, receivedAt, hz] of [
        [messages.fromBob, '1002', 'Bob Demo', '2026-01-05T09:30:00.000Z', 440],
        [messages.fromOutside, '+4930123456', undefined, '2026-01-05T10:45:00.000Z', 660],
      ] as const) {
        writeFileSync(join(box, `${id}.wav`), serializeWav(tone(2, hz)));
        const stored = await repository.insertMessage({
          id,
          tenantId: 'demo',
          box: '1001',
          folder: 'new',
          caller,
          callerName,
          receivedAt,
          duration_ms: 2000,
          heardAt: undefined,
          file: `${id}.wav`,
        });
        expect(stored).toBe(true);
      }
    } finally {
      await store.close();
    }
  }, 90_000);

  afterAll(async () => {
    await h?.close();
  });

  it('builds business hours, uploads a greeting and builds an IVR menu with it', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'demo-admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Auto attendant' }).click();
    await page.getByRole('link', { name: 'New schedule' }).click();
    await page.getByLabel('Id', { exact: true }).fill('office');
    await page.getByLabel('Name (optional)').fill('Office hours');
    expect(await page.getByRole('checkbox', { name: 'Friday' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add a holiday' }).click();
    await page.getByLabel('Holiday 1 date').fill('2026-12-24');
    await page.getByLabel('Holiday 1 until (optional)').fill('2026-12-26');
    await page.getByLabel('Holiday 1 name (optional)').fill('Christmas');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.screenshot({ path: join(h.shots, 'schedule.png'), fullPage: true });
    expect((await h.api('/api/tenants/demo/schedules')).body).toEqual([
      {
        id: 'office',
        name: 'Office hours',
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
        holidays: [{ date: '2026-12-24', until: '2026-12-26', name: 'Christmas' }],
      },
    ]);

    // A 16 kHz stereo WAV: the server keeps it as 8 kHz mono.
    const wav = join(h.dir, 'welcome.wav');
    writeFileSync(wav, serializeWav(tone(1.5, 523, 16_000, 2), { sampleRate: 16_000, channels: 2 }));
    await page.getByRole('navigation').getByRole('link', { name: 'Recordings' }).click();
    await page.getByLabel('Name', { exact: true }).fill('welcome');
    await page.getByLabel('WAV file').setInputFiles(wav);
    await page.getByRole('button', { name: 'Upload recording' }).click();
    await page.getByRole('status').getByText('welcome uploaded: 1.5 s.').waitFor();
    expect(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('value')).toBe(
      '100',
    );
    await page.getByRole('button', { name: 'Listen to welcome' }).click();
    const greeting = await played(page);
    expect(greeting.error).toBeNull();
    expect(greeting.duration).toBeCloseTo(1.5, 1);
    await page.screenshot({ path: join(h.shots, 'recordings.png'), fullPage: true });

    await page.getByRole('navigation').getByRole('link', { name: 'Auto attendant' }).click();
    await page.getByRole('link', { name: 'New menu' }).click();
    await page.getByLabel('Id', { exact: true }).fill('main');
    await page.getByLabel('Name', { exact: true }).fill('Main menu');
    await page.getByLabel('Number to dial (optional)').fill('500');
    await page.getByLabel('Callers hear').selectOption('prompt');
    await page.getByLabel('Recording', { exact: true }).selectOption('welcome');
    for (const [index, key, target] of [
      [1, '1', 'extension:1001'],
      [2, '2', 'voicemail:1001'],
      [3, '9', 'directory'],
    ] as const) {
      await page.getByRole('button', { name: 'Add a key' }).click();
      await page.getByLabel(`Key ${index}`, { exact: true }).selectOption(key);
      await page.getByLabel(`Key ${index} goes to`).fill(target);
    }
    await page.getByLabel('Then send the call to').fill('1001');
    await page.getByLabel('Schedule').selectOption('office');
    await page.getByLabel('When closed, send calls to').fill('voicemail:1001');
    await page.getByRole('button', { name: 'Save menu' }).click();
    await page.getByRole('heading', { name: 'Menu Main menu' }).waitFor();
    await page.getByRole('status').getByText('Saved.').waitFor();
    expect((await h.api('/api/tenants/demo/ivrs/main')).body).toMatchObject({
      name: 'Main menu',
      number: '500',
      greeting: { prompt: 'welcome' },
      options: { '1': 'extension:1001', '2': 'voicemail:1001', '9': 'directory' },
      failover: 'extension:1001',
      hours: { schedule: 'office', closed: 'voicemail:1001' },
    });
    await page.screenshot({ path: join(h.shots, 'ivr-menu.png'), fullPage: true });

    // A key to a menu that does not exist is refused, and nothing changes.
    await page.getByRole('button', { name: 'Add a key' }).click();
    await page.getByLabel('Key 4 goes to').fill('ivr:nowhere');
    h.provoke(400, '/api/tenants/demo/ivrs/main');
    await page.getByRole('button', { name: 'Save menu' }).click();
    await page
      .getByText('nowhere')
      .filter({ hasNot: page.locator('input') })
      .first()
      .waitFor();
    expect(
      Object.keys(((await h.api('/api/tenants/demo/ivrs/main')).body as { options: object }).options),
    ).toEqual(['1', '2', '9']);
    await context.close();
  }, 90_000);

  it.runIf(hasTool('sipp', 'sip-tester'))(
    'shows a call to the menu on the dashboard while it lasts',
    async () => {
      const { context, page } = await h.open();
      await h.signIn(page, 'demo-admin');
      const calls = page.getByRole('table', { name: 'Calls now' });
      await calls.getByText('No calls right now.').waitFor();
      const bob = (await h.api('/api/tenants/demo/extensions/1002')).body as { password: string };
      // Bob dials the menu's number and stays on the line (the menu answers, in or out of hours).
      const call = await voiceCall({ sipPort }, '1002', 'demo.localhost', '500', [{ pause_ms: 12_000 }], {
        password: bob.password,
        timeout_s: 40,
      });
      try {
        const row = calls.getByRole('row').filter({ hasText: '1002' });
        await row.waitFor({ timeout: 20_000 });
        expect(await row.locator('td').nth(1).textContent()).toBe('500');
        await page.screenshot({ path: join(h.shots, 'dashboard-live-call.png'), fullPage: true });
        const result = await call.done;
        expect(result.successful, result.output).toBe(1);
        await calls.getByText('No calls right now.').waitFor({ timeout: 20_000 });
      } finally {
        call.stop();
      }
      await context.close();
    },
    90_000,
  );

  it('an extension owner plays a message in my voicemail, which marks it heard', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'demo-1001');
    await page.getByRole('navigation').getByRole('link', { name: 'My voicemail' }).click();
    await page.getByText('2 new and 0 old messages').waitFor();
    await page.getByRole('button', { name: 'Play message from Bob Demo (1002)' }).click();
    const message = await played(page);
    expect(message.error).toBeNull();
    expect(message.duration).toBeCloseTo(2, 1);
    await expect
      .poll(async () => {
        const list = (await h.api('/api/tenants/demo/voicemail/messages?box=1001')).body as {
          id: string;
          heardAt: string | null;
        }[];
        return list.find((m) => m.id === messages.fromBob)?.heardAt ?? null;
      })
      .not.toBeNull();
    await page.screenshot({ path: join(h.shots, 'my-voicemail.png'), fullPage: true });
    await context.close();
  }, 60_000);

  it('a tenant admin plays, saves and deletes messages in the voicemail inbox', async () => {
    const { context, page } = await h.open();
    await h.signIn(page, 'demo-admin');
    await page.getByRole('navigation').getByRole('link', { name: 'Voicemail' }).click();
    await page.getByLabel('Box').selectOption('1001');
    await page.getByText('1 new, 1 old').waitFor();
    const inbox = page.getByRole('table', { name: 'Messages' });
    await inbox.getByText('new, unheard').waitFor();
    await inbox.getByRole('button', { name: 'Play message from +4930123456' }).click();
    expect((await played(page)).error).toBeNull();
    await expect.poll(() => inbox.getByText('new, unheard').count()).toBe(0);
    await inbox
      .getByRole('row')
      .filter({ hasText: 'Bob Demo' })
      .getByRole('button', { name: 'Save' })
      .click();
    await page.getByRole('status').getByText('Moved to saved.').waitFor();
    await page.screenshot({ path: join(h.shots, 'voicemail.png'), fullPage: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await inbox
      .getByRole('row')
      .filter({ hasText: '+4930123456' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.getByRole('status').getByText('Message deleted.').waitFor();
    const left = (await h.api('/api/tenants/demo/voicemail/messages?box=1001')).body as {
      id: string;
      folder: string;
    }[];
    expect(left.map((m) => [m.id, m.folder])).toEqual([[messages.fromBob, 'saved']]);
    await context.close();
  }, 60_000);

  it('logged no errors in the browser console but the refusal provoked on purpose', () => {
    expect(h.unexpectedErrors()).toEqual([]);
  });
});
