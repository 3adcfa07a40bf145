import type { KioskError } from '../../contract/errors.ts';
import type { SocialSecurityCard } from '../../drivers/sscard/social-security-card.ts';
import type { ReaderManager } from '../../drivers/reader-manager/reader-manager.ts';
import type { ReaderEvent, ReaderSource } from './reader-events.ts';

/** The drivers' reader manager as the session's ReaderSource (terminal.ts starts and stops it). */
export function readerManagerSource(manager: ReaderManager): ReaderSource {
  return {
    readers: () => manager.readers(),
    subscribe(listener: (e: ReaderEvent) => void) {
      const on = {
        'reader-attached': (reader: { readerId: string; name: string; link: 'serial' | 'hid' }) => listener({ type: 'reader-attached', reader }),
        'reader-detached': (e: { readerId: string }) => listener({ type: 'reader-detached', readerId: e.readerId }),
        'card-inserted': (e: { readerId: string }) => listener({ type: 'card-inserted', readerId: e.readerId }),
        'card-removed': (e: { readerId: string }) => listener({ type: 'card-removed', readerId: e.readerId }),
        'card-read': (e: { readerId: string; card: SocialSecurityCard }) => listener({ type: 'card-read', readerId: e.readerId, card: e.card }),
        'card-error': (e: { readerId: string; error: KioskError }) => listener({ type: 'card-error', readerId: e.readerId, error: e.error }),
      };
      manager.on('reader-attached', on['reader-attached']);
      manager.on('reader-detached', on['reader-detached']);
      manager.on('card-inserted', on['card-inserted']);
      manager.on('card-removed', on['card-removed']);
      manager.on('card-read', on['card-read']);
      manager.on('card-error', on['card-error']);
      return () => {
        manager.off('reader-attached', on['reader-attached']);
        manager.off('reader-detached', on['reader-detached']);
        manager.off('card-inserted', on['card-inserted']);
        manager.off('card-removed', on['card-removed']);
        manager.off('card-read', on['card-read']);
        manager.off('card-error', on['card-error']);
      };
    },
    start: () => manager.start(),
    close: () => manager.stop(),
    verifyPin: (pin) => manager.verifyPin(pin),
  };
}
