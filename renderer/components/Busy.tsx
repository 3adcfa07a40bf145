/** A visible "working" state; the spinner respects prefers-reduced-motion (see styles.css). */
export function Busy({ text, testId = 'busy' }: { text: string; testId?: string }) {
  return (
    <div className="busy" role="status" aria-live="polite" data-testid={testId} data-voice={text}>
      <span className="spinner" aria-hidden="true" />
      <span>{text}</span>
    </div>
  );
}
