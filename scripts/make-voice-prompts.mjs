// Records the kiosk's fallback voice prompts (renderer/public/voice/*.wav) with espeak-ng's Mandarin voice,
// for kiosks whose platform has no Chinese speech-synthesis voice. Debian: `apt-get install espeak-ng`.
// Each prompt is stored as 8,000 Hz 8-bit mono PCM (telephone quality, 8 KB a second), silence trimmed.
// Run: node scripts/make-voice-prompts.mjs   (the texts are those of renderer/app/voice-prompts.ts)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const source = readFileSync(join('renderer', 'app', 'voice-prompts.ts'), 'utf8');
const prompts = new Map();
for (const m of source.matchAll(/^\s*'?([^':\n]+?)'?: '([\w-]+\.wav)',$/gm)) if (!prompts.has(m[2])) prompts.set(m[2], m[1]);
if (prompts.size === 0) throw new Error('no prompts found in renderer/app/voice-prompts.ts');

const RATE = 8_000;
const outDir = join('renderer', 'public', 'voice');
mkdirSync(outDir, { recursive: true });
for (const [file, text] of prompts) {
  const wav = execFileSync('espeak-ng', ['-v', 'cmn', '-s', '140', '--stdout', text]);
  writeFileSync(join(outDir, file), shrink(wav));
  console.log(`${file}: ${text}`);
}

/** 22,050 Hz 16-bit mono (espeak-ng) → 8,000 Hz 8-bit mono: each output sample the mean of its input window. */
function shrink(wav) {
  const dataAt = wav.indexOf('data') + 8;
  const inRate = wav.readUInt32LE(24);
  const samples = new Int16Array(wav.buffer.slice(wav.byteOffset + dataAt, wav.byteOffset + wav.length - ((wav.length - dataAt) % 2)));
  const step = inRate / RATE;
  const pcm = [];
  for (let pos = 0; pos + step <= samples.length; pos += step) {
    let sum = 0;
    let n = 0;
    for (let i = Math.floor(pos); i < Math.floor(pos + step); i++, n++) sum += samples[i];
    pcm.push(Math.max(0, Math.min(255, Math.round(sum / n / 256) + 128)));
  }
  // Silence at both ends (espeak-ng pads them) costs bytes and delays the prompt.
  const loud = (v) => Math.abs(v - 128) > 2;
  const first = Math.max(0, pcm.findIndex(loud) - RATE / 20);
  const last = Math.min(pcm.length, pcm.length - [...pcm].reverse().findIndex(loud) + RATE / 10);
  const out = Buffer.from(pcm.slice(first, last));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + out.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(RATE, 24);
  header.writeUInt32LE(RATE, 28); // bytes a second
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(out.length, 40);
  return Buffer.concat([header, out]);
}
