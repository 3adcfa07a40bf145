import type { AuditChainCheck } from '../../contract/dto/common.ts';
import { auditChainText } from '../../contract/day-end-text.ts';

/**
 * The audit chain's line on the 日终 and 对账 screens: the words in the screen's font, the head's hash in a
 * monospace one. The words must not be in the monospace font: no system monospace font is sure to have CJK
 * glyphs (none at all where the bundled font is the only CJK font), and the line then showed blank where it
 * says whether the chain is intact.
 */
export function AuditChainLine({ chain, testId }: { chain: AuditChainCheck; testId: string }) {
  const text = auditChainText(chain);
  const words = text.endsWith(chain.headHash) ? text.slice(0, text.length - chain.headHash.length) : text;
  return (
    <p className={`audit-head ${chain.ok ? 'ok' : 'refused'}`} data-testid={testId}>
      {words}
      {words !== text && <code className="audit-hash">{chain.headHash}</code>}
    </p>
  );
}
