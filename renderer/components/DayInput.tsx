import { useEffect, useState } from 'react';
import { chineseDate } from '../app/format.ts';

/**
 * A calendar day typed as 2026-11-20, shown back as 2026年11月20日. The browser's own date field follows the
 * system locale (11/20/2026 on an English system); this one is the same on every terminal. ↑/↓ move a day.
 * `onChange` gets only whole, valid days.
 */
export function DayInput({ label, value, onChange, name, autoFocus }: { label: string; value: string; onChange: (day: string) => void; name: string; autoFocus?: boolean }) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const valid = isDay(text);
  const set = (t: string) => {
    setText(t);
    if (isDay(t)) onChange(t);
  };
  return (
    <span className="day-input">
      <label className="inline-label">
        {label}
        <input
        value={text}
        onChange={(e) => set(e.target.value.trim())}
        onKeyDown={(e) => {
          if ((e.key !== 'ArrowUp' && e.key !== 'ArrowDown') || !valid) return;
          e.preventDefault();
          set(addDays(text, e.key === 'ArrowUp' ? 1 : -1));
        }}
        name={name}
        autoFocus={autoFocus}
        inputMode="numeric"
        placeholder="年-月-日"
        aria-invalid={!valid || undefined}
        aria-describedby={`${name}-shown`}
        autoComplete="off"
        size={10}
        />
      </label>
      <span id={`${name}-shown`} className="muted">
        {valid ? chineseDate(text) : '请按“年-月-日”输入，如 2026-11-20'}
      </span>
    </span>
  );
}

function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
