import { cleanup, configure, render } from '@testing-library/react';
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
