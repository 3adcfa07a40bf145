import { cleanup, configure, render, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';
import { KioskProvider } from '../../../renderer/app/kiosk-context.tsx';
import type { FakeKiosk } from '../../fakes/fake-kiosk.ts';

afterEach(cleanup);
// Two shared cores: give async queries room under load instead of failing at the 1 s default.
configure({ asyncUtilTimeout: 5000 });

/** Renders a screen with the fake as its window.kiosk. */
export function renderWith(fake: FakeKiosk, ui: ReactElement) {
  return render(<KioskProvider api={fake.api}>{ui}</KioskProvider>);
}

/** Everything visible on the page, for "no English, no stack" and "no personal data" checks. */
export const pageText = () => document.body.textContent ?? '';

/**
 * Waits until a shown screen has subscribed to a terminal event. A lazily loaded screen appears in the DOM
 * before React runs its effects, so an event emitted on sight of the screen can reach no listener (the
 * screen then stays at the start: a flaky test, not a defect of the screen).
 */
export async function listening(fake: FakeKiosk, event: Parameters<FakeKiosk['listenerCount']>[0] = 'card-read'): Promise<void> {
  await waitFor(() => {
    if (fake.listenerCount(event) === 0) throw new Error(`no screen listens to ${event} yet`);
  });
}
