/**
 * The kiosk's own keyboard: operating-system touch keyboards are unreliable in kiosk windows, so entry on the
 * self-service screens happens here. Layouts: digits (PIN, amounts) and ID numbers (digits and X).
 */
export type KeyboardLayout = 'digits' | 'id';

const ROWS: Record<KeyboardLayout, string[][]> = {
  digits: [
    ['1', '2', '3'],
    ['4', '5', '6'],
    ['7', '8', '9'],
    ['清空', '0', '删除'],
  ],
  id: [
    ['1', '2', '3'],
    ['4', '5', '6'],
    ['7', '8', '9'],
    ['X', '0', '删除'],
  ],
};

export function OnScreenKeyboard({
  layout,
  value,
  onChange,
  maxLength,
}: {
  layout: KeyboardLayout;
  value: string;
  onChange: (next: string) => void;
  maxLength: number;
}) {
  const press = (k: string) => {
    if (k === '删除') onChange(value.slice(0, -1));
    else if (k === '清空') onChange('');
    else if (value.length < maxLength) onChange(value + k);
  };
  return (
    <div className="osk" role="group" aria-label="屏幕键盘" data-testid="osk">
      {ROWS[layout].map((row, i) => (
        <div className="osk-row" key={i}>
          {row.map((k) => (
            <button key={k} type="button" className={`osk-key${k.length > 1 ? ' osk-fn' : ''}`} onClick={() => press(k)} data-key={k}>
              {k}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}
