import { VOICE_EVENT } from './useVoicePrompt.ts';
import { RECORDED_PROMPTS } from './voice-prompts.ts';

/**
 * The kiosk speaks what each screen marks with data-voice (announced as `kiosk:voice` events): through the
 * platform's speech synthesis when it has a Chinese (zh-CN) voice, else with the short recorded prompt
 * bundled for that text (renderer/public/voice/, made with espeak-ng), else not at all — never in a foreign
 * voice reading Chinese characters.
 */
export function startVoice(): () => void {
  const onVoice = (e: Event) => {
    const text = (e as CustomEvent<{ text: string }>).detail?.text;
    if (text) speak(text);
  };
  window.addEventListener(VOICE_EVENT, onVoice);
  return () => {
    window.removeEventListener(VOICE_EVENT, onVoice);
    window.speechSynthesis?.cancel();
  };
}

/** A Chinese voice of the platform, if it has one. */
function chineseVoice(): SpeechSynthesisVoice | null {
  const voices = window.speechSynthesis?.getVoices() ?? [];
  return voices.find((v) => /^zh[-_]CN/i.test(v.lang)) ?? voices.find((v) => /^zh\b/i.test(v.lang)) ?? null;
}

let playing: HTMLAudioElement | null = null;

/** Says one prompt; a new prompt cuts the one still being said. */
export function speak(text: string): 'synthesis' | 'recorded' | 'silent' {
  const synth = window.speechSynthesis;
  const voice = synth ? chineseVoice() : null;
  playing?.pause();
  if (synth && voice) {
    synth.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9; // a little slower: many patients are elderly
    synth.speak(u);
    return 'synthesis';
  }
  const file = RECORDED_PROMPTS[text];
  if (!file) return 'silent';
  playing = new Audio(`voice/${file}`);
  // play() returns a promise in current browsers and nothing in older engines (and jsdom); a prompt that cannot
  // play (autoplay policy, no audio device) is silence, never an error on the patient's screen.
  const started = playing.play() as Promise<void> | undefined;
  started?.catch(() => undefined);
  return 'recorded';
}

/** Two short tones: something needs the patient's attention (the card left in the reader). */
export function chime(): void {
  try {
    const ctx = new AudioContext();
    [880, 660].forEach((hz, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = hz;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.25);
      osc.stop(ctx.currentTime + i * 0.25 + 0.2);
    });
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // No audio device: the screen still says it.
  }
}
