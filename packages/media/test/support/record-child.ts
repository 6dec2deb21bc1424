/**
 * Child process for the crash test: records a 440 Hz tone through
 * DurableWavWriter, flushing every 200 ms of audio and printing
 * "flushed <samples>" after each flush is on disk, until it is killed.
 */
import { join } from 'node:path';
import { DurableWavWriter, renderTone } from '@telekommune/media';

const directory = process.argv[2];
if (!directory) throw new Error('usage: record-child DIRECTORY');
const tone = renderTone(
  { name: 'a', segments: [{ frequencies: [440], durationMs: 1000 }], repeat: true },
  200,
);
const writer = await DurableWavWriter.create(join(directory, 'message.wav'), {
  id: 'msg-1',
  mailbox: '1001',
});
let busy = false;
setInterval(() => {
  if (busy) return;
  busy = true;
  writer.append(tone);
  writer.flush().then(() => {
    process.stdout.write(`flushed ${writer.samples}\n`);
    busy = false;
  });
}, 20);
