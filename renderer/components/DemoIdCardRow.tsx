import { useEffect, useState } from 'react';
import { useKiosk } from '../app/kiosk-context.tsx';
import { useAction } from '../app/useAction.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

/** Demo panel row: lay a virtual ID card on the virtual ID card reader, or take it away. */
export function DemoIdCardRow() {
  const kiosk = useKiosk();
  const [cards, setCards] = useState<{ id: string; label: string }[]>([]);
  const [cardId, setCardId] = useState('');
  const load = useAction(() => kiosk.demo.idCards({}));
  const act = useAction(async (id: string | null) => kiosk.demo.placeIdCard({ cardId: id }));
  const { run: loadRun } = load;
  useEffect(() => {
    void loadRun().then((c) => {
      if (!c) return;
      setCards(c);
      setCardId((id) => id || (c[0]?.id ?? ''));
    });
  }, [loadRun]);
  return (
    <div className="demo-row demo-idcard">
      <label>
        身份证
        <select value={cardId} onChange={(e) => setCardId(e.target.value)} data-testid="demo-idcard">
          {cards.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" data-testid="demo-idcard-place" disabled={!cardId || act.busy} onClick={() => void act.run(cardId)}>
        放上身份证
      </button>
      <button type="button" data-testid="demo-idcard-remove" disabled={act.busy} onClick={() => void act.run(null)}>
        移开身份证
      </button>
      {load.error && <ErrorNotice error={load.error} />}
      {act.error && <ErrorNotice error={act.error} onDismiss={act.clear} />}
    </div>
  );
}
