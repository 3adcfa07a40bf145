import { useEffect } from 'react';

/** The event a voice-prompt integration (speech synthesis, or Electron main) listens to. */
export const VOICE_EVENT = 'kiosk:voice';

/**
 * Voice hooks for the kiosk: every screen marks what should be spoken with `data-voice`. When the screen
 * changes (the key), the first such text is announced as a `kiosk:voice` CustomEvent on window; the renderer
 * itself does not speak, so the terminal can choose the voice, the volume or silence.
 */
export function useVoicePrompt(screenKey: string): void {
  useEffect(() => {
    const el = document.querySelector<HTMLElement>('main [data-voice], [role="alert"][data-voice]');
    const text = el?.dataset.voice;
    if (text) window.dispatchEvent(new CustomEvent(VOICE_EVENT, { detail: { screen: screenKey, text } }));
  }, [screenKey]);
}
