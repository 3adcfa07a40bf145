import type { CardView } from '../../contract/dto/card.ts';
import { chineseDate } from '../app/format.ts';

/** The card as read, masked by the services for this mode (kiosk screens never show a full name or number). */
export function CardPanel({ card }: { card: CardView }) {
  return (
    <section className="ss-card" data-testid="card-panel" aria-label="社会保障卡">
      <div className="ss-card-head">
        <span>社会保障卡</span>
        <span className="ss-card-gen">{card.generation === 3 ? '第三代' : '第二代'}</span>
      </div>
      <dl className="facts">
        <dt>姓名</dt>
        <dd data-testid="card-name">{card.displayName}</dd>
        <dt>社会保障号码</dt>
        <dd data-testid="card-ssn">{card.displaySsn}</dd>
        <dt>卡号</dt>
        <dd>{card.displayCardNo}</dd>
        <dt>有效期至</dt>
        <dd>
          {chineseDate(card.expiryDate)}
          {card.expired && <strong className="warn-text">（已过期）</strong>}
        </dd>
      </dl>
    </section>
  );
}
