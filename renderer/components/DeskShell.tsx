import type { ReactNode } from 'react';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from './ErrorNotice.tsx';
import type { Operator } from './SignIn.tsx';

export interface DeskTab<T extends string> {
  id: T;
  label: string;
}

/**
 * The staff desks' frame: tabs reachable by keyboard (Alt+1…9 as well as Tab), the operator and 签退.
 */
export function DeskShell<T extends string>({
  tabs,
  current,
  onTab,
  operator,
  onSignedOut,
  children,
}: {
  tabs: DeskTab<T>[];
  current: T;
  onTab: (t: T) => void;
  operator: Operator;
  onSignedOut: () => void;
  children: ReactNode;
}) {
  const kiosk = useKiosk();
  const signOut = useAction(() => kiosk.operator.signOut({}));
  return (
    <div className="desk">
      <nav className="desk-tabs" aria-label="功能">
        {tabs.map((t, i) => (
          <button
            key={t.id}
            type="button"
            className={t.id === current ? 'tab current' : 'tab'}
            aria-current={t.id === current ? 'page' : undefined}
            accessKey={String(i + 1)}
            onClick={() => onTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
          </button>
        ))}
        <span className="desk-operator">
          操作员 {operator.name}（{operator.opterNo}）
        </span>
        <button type="button" className="secondary" onClick={async () => (await signOut.run()) && onSignedOut()} disabled={signOut.busy}>
          签退
        </button>
      </nav>
      {signOut.error && <ErrorNotice error={signOut.error} onDismiss={signOut.clear} />}
      <main className="desk-body">
        {/* One level-one heading per screen, for screen readers: the desk's current task. */}
        <h1 className="sr-only">{tabs.find((t) => t.id === current)?.label}</h1>
        {children}
      </main>
    </div>
  );
}
