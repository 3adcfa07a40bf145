import { createContext, useContext } from 'react';

/**
 * 适老化: the kiosk's elderly mode — text of at least 32 px and one thing to do per screen. Offered on the start
 * screen and suggested once the person is known to be 60 or older; it lasts for one patient's session.
 */
export interface ElderlyMode {
  on: boolean;
  set: (on: boolean) => void;
}

export const ElderlyContext = createContext<ElderlyMode>({ on: false, set: () => undefined });

export const useElderly = () => useContext(ElderlyContext);

/** The age from which the kiosk suggests the elderly mode (国家 适老化 guidance: 60 周岁). */
export const ELDERLY_AGE = 60;
