import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { CatalogueEntry, ChargesSummary } from '../../contract/dto/charges.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { yuanText } from '../app/format.ts';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from '../components/ErrorNotice.tsx';
import { LEVEL_TEXT } from '../components/labels.ts';
import { listKeyHandler } from '../components/list-keys.ts';

type Entry = z.infer<typeof CatalogueEntry>;

/** A count as typed: positive, at most 4 decimals (the 2301 wire is 16,4). */
export function parseCount(text: string): number | null {
  const m = /^\d{1,6}(\.\d{1,4})?$/.exec(text.trim());
  if (!m) return null;
  const n = Number(text.trim());
  return n > 0 && n <= 100_000 ? n : null;
}

/**
 * One fee line by hand, against the catalogue: type a name or code, ↑/↓ and Enter to choose, Tab to the
 * count, Enter to add. The price is the catalogue's; focus returns to the search for the next line.
 */
export function ManualEntry({ admissionId, onAdded }: { admissionId: string; onAdded: (c: ChargesSummary) => void }) {
  const kiosk = useKiosk();
  const headingId = useId();
  const listId = useId();
  const searchId = useId();
  const search = useRef<HTMLInputElement>(null);
  const countInput = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Entry[]>([]);
  const [active, setActive] = useState(0);
  const [chosen, setChosen] = useState<Entry | null>(null);
  const [count, setCount] = useState('1');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const add = useAction((e: Entry, cnt: number) => kiosk.charges.add({ admissionId, lines: [{ medListCodg: e.code, cnt }] }));

  useEffect(() => {
    const text = q.trim();
    if (chosen || text.length === 0) {
      setResults([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void kiosk.charges
        .searchCatalogue({ q: text, limit: 10 })
        .then((r) => {
          if (!live) return;
          setResults(r);
          setActive(0);
        })
        .catch(() => live && setResults([]));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q, chosen, kiosk]);

  const choose = (e: Entry) => {
    setChosen(e);
    setQ(`${e.name}（${e.code}）`);
    setResults([]);
    setInvalid(null);
    countInput.current?.focus();
    countInput.current?.select();
  };
  const onKey = listKeyHandler({ results, open: true, active, setActive, pick: choose, close: () => setResults([]) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    if (!chosen) return setInvalid('请先从目录中选择收费项目');
    const cnt = parseCount(count);
    if (cnt === null) return setInvalid('数量应为正数（最多 4 位小数，不超过 100000）');
    setInvalid(null);
    const summary = await add.run(chosen, cnt);
    if (!summary) return;
    onAdded(summary);
    setAdded(`已录入：${chosen.name} × ${cnt}，${yuanText(Math.round(chosen.pricFen * cnt))}（未上传）`);
    setChosen(null);
    setQ('');
    setCount('1');
    search.current?.focus();
  };

  return (
    <form className="charge-entry" aria-labelledby={headingId} onSubmit={submit} data-testid="manual-entry" noValidate>
      <h3 id={headingId}>录入费用</h3>
      <div className="entry-row">
        <div className="combo grow">
          <label htmlFor={searchId}>收费项目（名称或医保目录编码）</label>
          <input
            id={searchId}
            ref={search}
            role="combobox"
            aria-expanded={results.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            value={q}
            autoComplete="off"
            name="catalogue-search"
            onChange={(e) => {
              setQ(e.target.value);
              setChosen(null);
            }}
            onKeyDown={onKey}
            data-testid="catalogue-search"
          />
          {results.length > 0 && (
            <ul className="combo-list" role="listbox" id={listId} data-testid="catalogue-results">
              {results.map((r, i) => (
                <li
                  key={r.code}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? 'active' : undefined}
                  onMouseDown={(ev) => {
                    ev.preventDefault();
                    choose(r);
                  }}
                >
                  {r.name} <code>{r.code}</code> · {LEVEL_TEXT[r.level] ?? r.level} · {yuanText(r.pricFen)}/{r.unit}
                </li>
              ))}
            </ul>
          )}
        </div>
        <label>
          数量{chosen ? `（${chosen.unit}，单价 ${yuanText(chosen.pricFen)}）` : ''}
          <input ref={countInput} value={count} onChange={(e) => setCount(e.target.value)} inputMode="decimal" name="count" autoComplete="off" data-testid="entry-count" />
        </label>
        <button type="submit" className="primary" disabled={add.busy} data-testid="entry-add">
          {add.busy ? '正在录入…' : '录入（Enter）'}
        </button>
      </div>
      {invalid && (
        <p className="field-error" role="alert">
          {invalid}
        </p>
      )}
      {added && (
        <p className="ok-note" role="status" data-testid="entry-added">
          {added}
        </p>
      )}
      {add.error && <ErrorNotice error={add.error} />}
    </form>
  );
}
