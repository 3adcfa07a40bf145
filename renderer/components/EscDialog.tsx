import type { ReactNode } from 'react';

/**
 * A modal dialog over the screen that Esc closes. Esc is handled here and stopped, so it closes only the
 * dialog and does not also leave the step or the stay behind it (whose own Esc goes back).
 */
export function EscDialog({
  onEscape,
  labelledBy,
  describedBy,
  testId,
  role = 'dialog',
  className = 'dialog',
  children,
}: {
  onEscape: () => void;
  labelledBy: string;
  describedBy?: string;
  testId: string;
  role?: 'dialog' | 'alertdialog';
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className="dialog-backdrop">
      <div
        className={className}
        role={role}
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        data-testid={testId}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return;
          e.preventDefault();
          e.stopPropagation();
          onEscape();
        }}
      >
        {children}
      </div>
    </div>
  );
}
