import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RECORDED_PROMPTS } from '../../../renderer/app/voice-prompts.ts';

describe('recorded voice prompts', () => {
  it('every prompt has its small WAV file in renderer/public/voice (scripts/make-voice-prompts.mjs)', () => {
    for (const file of new Set(Object.values(RECORDED_PROMPTS))) {
      const path = join('renderer', 'public', 'voice', file);
      expect(existsSync(path), path).toBe(true);
      const wav = readFileSync(path);
      expect(wav.subarray(0, 4).toString()).toBe('RIFF');
      expect(wav.length).toBeLessThan(80_000);
    }
  });
});
