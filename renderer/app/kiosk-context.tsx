import { createContext, useContext, type ReactNode } from 'react';
import type { KioskApi } from '../../contract/api.ts';

const KioskContext = createContext<KioskApi | null>(null);

/** Screens get the API from context, so tests can hand them a fake (the VotingWorks fakeKiosk pattern). */
export function KioskProvider({ api, children }: { api: KioskApi; children: ReactNode }) {
  return <KioskContext.Provider value={api}>{children}</KioskContext.Provider>;
}

export function useKiosk(): KioskApi {
  const api = useContext(KioskContext);
  if (!api) throw new Error('useKiosk outside KioskProvider');
  return api;
}
