/**
 * `npm run prompts`: renders every voice prompt of every catalogue
 * (prompts/<language>/catalogue.json) into prompts/<language>/<id>.wav,
 * 8 kHz mono 16-bit PCM, with espeak-ng and sox. Only prompts whose text or
 * settings changed are rendered again; files of removed prompts are
 * deleted. The WAVs are committed, so installing Telekommune needs no
 * speech synthesiser.
 *
 *   npm run prompts                 render what changed, all languages
 *   npm run prompts -- --force      render everything again
 *   npm run prompts -- --check      render nothing; exit 1 if anything is out of date
 *   npm run prompts -- --language en
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUNDLED_PROMPTS_DIRECTORY,
  CATALOGUE_FILE,
  loadCatalogue,
  type PromptCatalogue,
  parseWav,
  promptHash,
  RENDER_PIPELINE,
  RENDERED_FILE,
  writeFileAtomic,
} from '@telekommune/media';

interface Args {
  force: boolean;
  check: boolean;
  languages: string[] | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { force: false, check: false, languages: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--force') args.force = true;
    else if (arg === '--check') args.check = true;
    else if (arg === '--language' && argv[i + 1]) args.languages = [...(args.languages ?? []), argv[++i]!];
    else throw new Error(`unknown argument ${arg}; see the comment at the top of this script`);
  }
  return args;
}

function requireTool(command: string, debianPackage: string): void {
  const found = spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  if (!found) throw new Error(`${command} is needed to render prompts: apt-get install -y ${debianPackage}`);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  }
}

function render(catalogue: PromptCatalogue, id: string, out: string, work: string): void {
  const textFile = join(work, 'text.txt');
  const raw = join(work, 'raw.wav');
  writeFileSync(textFile, catalogue.prompts[id]!);
  run('espeak-ng', [
    '-v',
    catalogue.voice,
    '-s',
    String(catalogue.wordsPerMinute),
    '-w',
    raw,
    '-f',
    textFile,
  ]);
  // Trim silence at both ends (reverse, trim, reverse), then pad it back evenly.
  run('sox', [
    '-D',
    raw,
    '-b',
    '16',
    '-c',
    '1',
    '-e',
    'signed-integer',
    out,
    'highpass',
    '100',
    'silence',
    '1',
    '0.02',
    '0.3%',
    'reverse',
    'silence',
    '1',
    '0.02',
    '0.3%',
    'reverse',
    'pad',
    '0.08',
    '0.15',
    'norm',
    '-3',
    'rate',
    '-v',
    '8000',
  ]);
  const parsed = parseWav(readFileSync(out));
  if (!parsed.ok) throw new Error(`${out}: sox wrote an unreadable WAV (${parsed.reason})`);
  const { sampleRate, channels, encoding, samples } = parsed.audio;
  if (sampleRate !== 8000 || channels !== 1 || encoding !== 'pcm16' || samples.length < 800) {
    throw new Error(`${out}: expected 8 kHz mono 16-bit audio of at least 0.1 s`);
  }
}

async function renderLanguage(language: string, args: Args): Promise<{ rendered: number; stale: string[] }> {
  const directory = join(BUNDLED_PROMPTS_DIRECTORY, language);
  const catalogue = await loadCatalogue(BUNDLED_PROMPTS_DIRECTORY, language);
  const renderedPath = join(directory, RENDERED_FILE);
  let previous: Record<string, string> = {};
  try {
    previous = JSON.parse(readFileSync(renderedPath, 'utf8')) as Record<string, string>;
  } catch {
    // first run
  }
  const ids = Object.keys(catalogue.prompts).sort();
  const next: Record<string, string> = {};
  const stale: string[] = [];
  let rendered = 0;
  const work = mkdtempSync(join(tmpdir(), 'tk-prompts-'));
  try {
    for (const id of ids) {
      const hash = promptHash(catalogue, id, RENDER_PIPELINE);
      const wav = join(directory, `${id}.wav`);
      let exists = false;
      try {
        exists = statSync(wav).size > 44;
      } catch {
        exists = false;
      }
      if (!args.force && exists && previous[id] === hash) {
        next[id] = hash;
        continue;
      }
      if (args.check) {
        stale.push(`${language}/${id}`);
        continue;
      }
      const temp = join(work, 'out.wav');
      render(catalogue, id, temp, work);
      await writeFileAtomic(wav, readFileSync(temp));
      next[id] = hash;
      rendered++;
      process.stdout.write(`rendered ${language}/${id}\n`);
    }
    // Files of prompts no longer in the catalogue.
    for (const name of readdirSync(directory)) {
      if (!name.endsWith('.wav')) continue;
      const id = name.slice(0, -4);
      if (catalogue.prompts[id] !== undefined) continue;
      if (args.check) stale.push(`${language}/${name} (not in the catalogue)`);
      else {
        rmSync(join(directory, name));
        process.stdout.write(`removed ${language}/${name}\n`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!args.check) await writeFileAtomic(renderedPath, `${JSON.stringify(next, null, 2)}\n`);
  return { rendered, stale };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const languages =
    args.languages ??
    readdirSync(BUNDLED_PROMPTS_DIRECTORY).filter((name) => {
      try {
        return statSync(join(BUNDLED_PROMPTS_DIRECTORY, name, CATALOGUE_FILE)).isFile();
      } catch {
        return false;
      }
    });
  if (!args.check) {
    requireTool('espeak-ng', 'espeak-ng');
    requireTool('sox', 'sox');
  }
  let total = 0;
  const stale: string[] = [];
  for (const language of languages) {
    const result = await renderLanguage(language, args);
    total += result.rendered;
    stale.push(...result.stale);
  }
  if (args.check) {
    if (stale.length > 0) {
      process.stderr.write(`prompts out of date (run npm run prompts):\n  ${stale.join('\n  ')}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write(`prompts up to date (${languages.join(', ')})\n`);
    }
  } else {
    process.stdout.write(`${total} prompt(s) rendered (${languages.join(', ')})\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
