import type { KeyboardEvent } from 'react';

/**
 * Keyboard for a search box with a result list under it (diagnosis search, catalogue entry): ↓/↑ move the
 * highlight within the list, Enter picks the highlighted result, Escape closes the list. With no list open the
 * keys do what they normally do (Enter submits the form).
 */
export function listKeyHandler<T>(list: {
  results: readonly T[];
  open: boolean;
  active: number;
  setActive: (update: (a: number) => number) => void;
  pick: (item: T) => void;
  close: () => void;
}): (e: KeyboardEvent<HTMLInputElement>) => void {
  return (e) => {
    if (!list.open || list.results.length === 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      list.setActive((a) => Math.min(a + 1, list.results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      list.setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const item = list.results[list.active];
      if (item) list.pick(item);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      list.close();
    }
  };
}
