import type { ShownError } from '../app/errors.ts';

/** A failure as the services described it: the Chinese message and every line of guidance, nothing else. */
export function ErrorNotice({ error, onDismiss, dismissLabel = '知道了' }: { error: ShownError; onDismiss?: () => void; dismissLabel?: string }) {
  return (
    <section className="error-notice" role="alert" data-testid="error" data-code={error.code}>
      <p className="error-message" data-voice={error.message}>
        {error.message}
      </p>
      {error.guidance.length > 0 && (
        <ul className="guidance" data-testid="error-guidance">
          {error.guidance.map((g, i) => (
            <li key={i}>{g}</li>
          ))}
        </ul>
      )}
      {onDismiss && (
        <button type="button" className="secondary" onClick={onDismiss}>
          {dismissLabel}
        </button>
      )}
    </section>
  );
}
