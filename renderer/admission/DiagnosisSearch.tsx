import { useEffect, useId, useState } from 'react';
import type { z } from 'zod';
import type { Diagnosis } from '../../contract/dto/admission.ts';
import { useKiosk } from '../app/kiosk-context.tsx';
import { toShownError, type ShownError } from '../app/errors.ts';
import { listKeyHandler } from '../components/list-keys.ts';

type Dx = z.infer<typeof Diagnosis>;

/**
 * ICD-10 search as a combobox: type a code or words, ↑/↓ to move, Enter to choose (Enter does not submit the
 * form while the list is open), Esc closes the list.
 */
export function DiagnosisSearch({ value, onChange, invalid }: { value: Dx | null; onChange: (d: Dx | null) => void; invalid?: boolean }) {
  const kiosk = useKiosk();
  const [q, setQ] = useState(value ? `${value.code} ${value.name}` : '');
  const [results, setResults] = useState<Dx[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<ShownError | null>(null);
  const listId = useId();

  useEffect(() => {
    const text = q.trim();
    if (!open || text.length === 0) {
      setResults([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      kiosk.admission
        .searchDiagnoses({ q: text, limit: 10 })
        .then((r) => {
          if (!live) return;
          setResults(r);
          setActive(0);
          setError(null);
        })
        .catch((e: unknown) => live && setError(toShownError(e)));
    }, 120);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q, open, kiosk]);

  const choose = (d: Dx) => {
    onChange(d);
    setQ(`${d.code} ${d.name}`);
    setOpen(false);
  };
  const onKey = listKeyHandler({ results, open, active, setActive, pick: choose, close: () => setOpen(false) });
  return (
    <div className="combo">
      <input
        role="combobox"
        aria-expanded={open && results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={invalid || undefined}
        name="diagnosis"
        placeholder="输入 ICD-10 编码或疾病名称"
        value={q}
        autoComplete="off"
        onChange={(e) => {
          setQ(e.target.value);
          setOpen(true);
          if (value) onChange(null);
        }}
        onKeyDown={onKey}
        data-testid="diagnosis-input"
      />
      {open && results.length > 0 && (
        <ul className="combo-list" role="listbox" id={listId} data-testid="diagnosis-results">
          {results.map((d, i) => (
            <li
              key={d.code}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(d);
              }}
            >
              <code>{d.code}</code> {d.name}
            </li>
          ))}
        </ul>
      )}
      {error && <p className="field-error">{error.message}</p>}
    </div>
  );
}
