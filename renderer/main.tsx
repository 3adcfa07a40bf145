import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { KioskProvider } from './app/kiosk-context.tsx';
import { connectKiosk } from './kiosk.ts';

// The font's rules come as their own stylesheet, after the first paint (see fonts.css).
void import('./fonts.css');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <KioskProvider api={connectKiosk()}>
      <App />
    </KioskProvider>
  </StrictMode>,
);
