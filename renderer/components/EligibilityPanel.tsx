import { Fragment } from 'react';
import type { EligibilityDecision } from '../../contract/dto/eligibility.ts';
import { FoldToFit, type FoldBlock } from './FoldToFit.tsx';
import { GENDER_TEXT } from '../app/format.ts';
import { chineseDateTime, yuanText } from '../app/format.ts';
import { CASE_TEXT, SCOPE_TEXT } from './labels.ts';
import { KeepTogether } from './KeepTogether.tsx';

/** The headline of a decision in plain words, the same on the desk and at the kiosk. */
export function decisionHeadline(d: EligibilityDecision): string {
  if (d.needsInsutypeChoice) return '您有多个参保险种，请选择本次使用的险种';
  if (d.direct) return '可以使用医保直接结算';
  return '本次暂不能使用医保直接结算';
}

type Heading = 'h2' | 'h3';

/** One titled list of coded lines (a reason, a conflict, a step), as the services gave them. */
function codedList(className: string, heading: string, Sub: Heading, testId: string, items: readonly { code: string; text: string }[], ordered = false) {
  const List = ordered ? 'ol' : 'ul';
  return (
    <div className={className}>
      <Sub>{heading}</Sub>
      <List data-testid={testId} {...(ordered ? { 'data-voice': items.map((g) => g.text).join('。') } : {})}>
        {items.map((r) => (
          <li key={r.code} data-code={r.code}>
            <KeepTogether text={r.text} />
          </li>
        ))}
      </List>
    </div>
  );
}

/** The reasons, the conflicts and the next steps, each a block, in reading order. */
function explanationBlocks(d: EligibilityDecision, Sub: Heading, variant: 'staff' | 'kiosk'): FoldBlock[] {
  const blocks: FoldBlock[] = [];
  if (d.reasons.length > 0) blocks.push({ key: 'reasons', title: '原因', node: codedList('reasons', variant === 'kiosk' ? '原因' : '核验依据', Sub, 'eligibility-reasons', d.reasons) });
  if (d.conflicts.length > 0) blocks.push({ key: 'conflicts', title: '注意事项', node: codedList('conflicts', '需要注意', Sub, 'eligibility-conflicts', d.conflicts) });
  if (d.guidance.length > 0) blocks.push({ key: 'guidance', title: '办理说明', node: codedList('next-steps', '下一步', Sub, 'eligibility-guidance', d.guidance, true) });
  return blocks;
}

/** 适老化: what the patient can do first (下一步), then what to watch (需要注意), then why (原因): the last folds first. */
function foldOrder(blocks: FoldBlock[]): FoldBlock[] {
  const rank: Record<string, number> = { guidance: 0, conflicts: 1, reasons: 2 };
  return [...blocks].sort((a, b) => (rank[a.key] ?? 9) - (rank[b.key] ?? 9));
}

/**
 * The eligibility decision. Staff see every reason, conflict and figure; the kiosk shows the same facts in
 * larger, plainer form. Nothing is summarised away: every reason the services gave is listed.
 */
export function EligibilityPanel({ decision: d, variant, fold = false }: { decision: EligibilityDecision; variant: 'staff' | 'kiosk'; fold?: boolean }) {
  const headline = decisionHeadline(d);
  const tone = d.needsInsutypeChoice ? 'info' : d.direct ? 'ok' : 'refused';
  const Verdict = variant === 'kiosk' ? 'h1' : 'h2';
  const Sub = variant === 'kiosk' ? 'h2' : 'h3';
  return (
    <section className={`eligibility ${variant}`} data-testid="eligibility" data-direct={String(d.direct)}>
      {/* At the kiosk the verdict is the screen's heading; the staff desk has its own level-one heading. */}
      <Verdict className={`verdict ${tone}`} data-testid="eligibility-verdict" data-voice={headline}>
        {headline}
      </Verdict>
      {d.cached && (
        <p className="cached-note" data-testid="eligibility-cached">
          医保平台暂时无法连接，以下结果来自 {chineseDateTime(d.checkedAt)} 的本地缓存，联网后将重新核验。
        </p>
      )}
      {variant === 'staff' && (
        <dl className="facts" data-testid="eligibility-person">
          <dt>姓名</dt>
          <dd>{d.person.displayName}</dd>
          <dt>证件号码</dt>
          <dd>{d.person.displayCertNo}</dd>
          <dt>性别 / 年龄</dt>
          <dd>
            {GENDER_TEXT[d.person.gender] ?? d.person.gender} / {d.person.age ?? '—'}
          </dd>
          <dt>参保地</dt>
          <dd>
            {d.person.insuplcName}（{d.person.insuplcAdmdvs}）
          </dd>
          <dt>就医类型</dt>
          <dd>
            {SCOPE_TEXT[d.scope] ?? d.scope}
            {d.visitCase ? ` · ${CASE_TEXT[d.visitCase] ?? d.visitCase}` : ''}
          </dd>
          <dt>待遇降低</dt>
          <dd data-testid="eligibility-reduction">{d.reduction > 0 ? `报销比例降低 ${Math.round(d.reduction * 100)} 个百分点` : '无'}</dd>
          <dt>核验时间</dt>
          <dd>{chineseDateTime(d.checkedAt)}</dd>
        </dl>
      )}
      {variant === 'staff' && d.insurances.length > 0 && (
        <table className="grid" data-testid="eligibility-insurances">
          <thead>
            <tr>
              <th>险种</th>
              <th>人员类别</th>
              <th>状态</th>
              <th>个人账户余额</th>
            </tr>
          </thead>
          <tbody>
            {d.insurances.map((i) => (
              <tr key={i.insutype} className={i.insutype === d.chosenInsutype ? 'chosen' : undefined}>
                <td>
                  {i.label}（{i.insutype}）{i.insutype === d.chosenInsutype ? ' ✓ 本次使用' : ''}
                </td>
                <td>{i.psnTypeLabel || i.psnType}</td>
                <td>{i.active ? '正常参保' : '暂停/中止'}</td>
                <td className="num">{yuanText(i.accountBalanceFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {fold ? (
        <FoldToFit on blocks={foldOrder(explanationBlocks(d, Sub, variant))} />
      ) : (
        explanationBlocks(d, Sub, variant).map((b) => <Fragment key={b.key}>{b.node}</Fragment>)
      )}
    </section>
  );
}
