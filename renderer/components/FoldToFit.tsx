import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** One block of explanation a screen may fold away, most important first. */
export interface FoldBlock {
  key: string;
  /** Its title on the folded screen's button and in the details view: 原因, 下一步. */
  title: string;
  node: ReactNode;
}

/** The page is taller than the window: the patient would have to scroll (and in large type, would not know to). */
function pageScrolls(): boolean {
  const doc = document.scrollingElement;
  return doc !== null && doc.scrollHeight > doc.clientHeight;
}

/**
 * 适老化: a screen in large type fits the kiosk's window without scrolling (an elderly patient does not know a
 * touch screen scrolls, and text under the actions bar is text not read). The blocks are shown as long as the
 * screen fits; when it does not, the last blocks fold away, one at a time, behind a single button (查看原因,
 * 查看原因和说明…) that shows them on a screen of their own with 返回. Measured after layout, so it holds for
 * any text the platform sends, in portrait 1080×1920 and landscape 1920×1080. Outside elderly mode nothing
 * folds (`on` false): the standard screens keep their sticky actions bar.
 */
/** A measuring round: which blocks are folded, and (once the page fits) the later block being tried back. */
interface Round {
  signature: string;
  round: number;
  folded: readonly string[];
  trying: number | null;
  /** Measured: nothing to do until the next round. */
  settled: boolean;
}

export function FoldToFit({ on, blocks }: { on: boolean; blocks: readonly FoldBlock[] }) {
  const signature = blocks.map((b) => b.key).join('|');
  const fresh = (round: number): Round => ({ signature, round, folded: [], trying: null, settled: false });
  // What is folded, for this content and this measuring round: a new round starts from nothing folded.
  const [fit, setFit] = useState<Round>(() => fresh(0));
  const state = fit.signature === signature ? fit : fresh(fit.round);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  // A new round when the window changes size or another part of the screen changes (a button that waited for
  // the store, a banner gone): what fits depends on them. Changes of this component's own blocks do not count.
  useEffect(() => {
    const main = root.current?.closest('main');
    if (!on || !main) return;
    const again = () => setFit((f) => ({ signature: f.signature, round: f.round + 1, folded: [], trying: null, settled: false }));
    const observer = new MutationObserver((records) => {
      if (records.some((r) => !root.current?.contains(r.target))) again();
    });
    observer.observe(main, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['class', 'hidden', 'style'] });
    window.addEventListener('resize', again);
    // The screens' font arrives after the first paint (renderer/fonts.css): text measured in the fallback face
    // may have wrapped longer; measure again in the real one.
    document.fonts?.addEventListener('loadingdone', again);
    void document.fonts?.ready.then(again);
    return () => {
      observer.disconnect();
      window.removeEventListener('resize', again);
      document.fonts?.removeEventListener('loadingdone', again);
    };
  }, [on]);
  // Before the browser paints (React renders again before it, so nothing flickers): while the page scrolls, the
  // last block still shown folds; once it fits, each later block folded with the others is tried back alone (a
  // short 原因 may fit where a long 下一步 did not), and folds again if the page then scrolls.
  useLayoutEffect(() => {
    if (!on || open || state.settled) return;
    const scrolls = pageScrolls();
    const { folded, trying } = state;
    // Try the next folded block after `from` back alone, or settle.
    const tryFrom = (kept: readonly string[], from: number) => {
      const next = nextToTry(blocks, kept, from);
      setFit({ ...state, folded: next === null ? kept : kept.filter((k) => k !== blocks[next]!.key), trying: next, settled: next === null });
    };
    if (trying !== null) {
      const key = blocks[trying]!.key;
      tryFrom(scrolls ? [...folded, key] : folded, trying + 1);
      return;
    }
    if (scrolls) {
      const last = [...blocks].reverse().find((b) => !folded.includes(b.key));
      setFit(last ? { ...state, folded: [...folded, last.key] } : { ...state, settled: true });
      return;
    }
    // It fits: the blocks after the first one folded folded only for being later; each is tried back.
    const first = blocks.findIndex((b) => folded.includes(b.key));
    if (first < 0) setFit({ ...state, settled: true });
    else tryFrom(folded, first + 1);
  }, [on, open, state, blocks]);

  const visible = on ? blocks.filter((b) => !state.folded.includes(b.key)) : blocks;
  const folded = on ? blocks.filter((b) => state.folded.includes(b.key)) : [];
  return (
    <div className="fold" ref={root}>
      {visible.map((b) => (
        <div key={b.key}>{b.node}</div>
      ))}
      {folded.length > 0 && (
        <div className="actions fold-actions">
          <button type="button" className="secondary big" onClick={() => setOpen(true)} data-testid="ss-fold-open" data-folded={folded.map((b) => b.key).join(' ')}>
            查看{folded.map((b) => b.title).join('和')}
          </button>
        </div>
      )}
      {open && <FoldDetails blocks={folded} onBack={() => setOpen(false)} />}
    </div>
  );
}

/** The index of the next folded block from `from` on, or null. */
function nextToTry(blocks: readonly FoldBlock[], folded: readonly string[], from: number): number | null {
  for (let i = from; i < blocks.length; i++) if (folded.includes(blocks[i]!.key)) return i;
  return null;
}

/**
 * The folded blocks on a screen of their own, with 返回. Text longer than the window is paged, not scrolled:
 * 上一页 / 下一页 move by a window less a line, so no line is lost at the edge.
 */
function FoldDetails({ blocks, onBack }: { blocks: readonly FoldBlock[]; onBack: () => void }) {
  const body = useRef<HTMLDivElement>(null);
  const [page, setPage] = useState(0);
  const [pages, setPages] = useState(1);
  const step = () => Math.max(1, (body.current?.clientHeight ?? 1) - 60);
  useLayoutEffect(() => {
    const el = body.current;
    if (!el) return;
    setPages(el.scrollHeight > el.clientHeight + 1 ? 1 + Math.ceil((el.scrollHeight - el.clientHeight) / step()) : 1);
  }, [blocks]);
  useLayoutEffect(() => {
    if (body.current) body.current.scrollTop = page * step();
  }, [page]);
  return (
    <section className="fold-details" role="dialog" aria-modal="true" aria-label={blocks.map((b) => b.title).join('和')} data-testid="ss-fold-details" data-pages={pages}>
      <div className="fold-details-body" ref={body}>
        {blocks.map((b) => (
          <div key={b.key}>{b.node}</div>
        ))}
      </div>
      <div className="actions">
        <button type="button" className="primary big" autoFocus onClick={onBack} data-testid="ss-fold-back">
          返回
        </button>
        {pages > 1 && (
          <>
            <button type="button" className="secondary big" disabled={page === 0} onClick={() => setPage((p) => p - 1)} data-testid="ss-fold-prev">
              上一页
            </button>
            <span className="fold-page">
              第 {page + 1} / {pages} 页
            </span>
            <button type="button" className="secondary big" disabled={page >= pages - 1} onClick={() => setPage((p) => p + 1)} data-testid="ss-fold-next">
              下一页
            </button>
          </>
        )}
      </div>
    </section>
  );
}
