import { ADMISSION_TYPE_TEXT } from '../../contract/admission-text.ts';
import type { DocumentFacts } from './facts.ts';
import { GENDER } from './facts.ts';
import { chineseDateTime, esc, grid, kvLines, page, yuan, type Media } from './html.ts';

/** The slip's name, as the desk's 打印入院登记单 button and the 入院登记 screens call it. */
export const ADMISSION_SLIP_TITLE = '入院登记单';

/** 入院登记单: what the patient takes to the ward. Roll or A4, per configuration. */
export function renderAdmissionSlip(f: DocumentFacts, media: Media): string {
  const title = ADMISSION_SLIP_TITLE;
  const v = f.visit;
  const p = f.patient;
  const main = v.diagnoses.find((d) => d.main);
  const deposits = f.deposits.filter((d) => d.kind === 'deposit').reduce((n, d) => n + d.amountFen, 0);
  const pairs: Array<[string, string]> = [
    ['住院号', v.iptNo],
    ['姓名', p.name],
    ['性别', GENDER[p.gender] ?? p.gender],
    ['年龄', p.age === null ? '' : `${p.age}岁`],
    ['社会保障号码', p.certno],
    ['险种', p.insutypeLabel],
    ['参保地', p.insuplcName],
    ['入院方式', ADMISSION_TYPE_TEXT[v.admissionType]],
    ['科室', v.deptName],
    ['病区', v.ward],
    ['床号', v.bed],
    ['主治医师', v.doctorName],
    ['入院诊断', main ? `${main.code} ${main.name}` : ''],
    ['入院时间', chineseDateTime(v.begntime)],
    ['医保登记', v.mdtrtId ? `已登记（就诊ID ${v.mdtrtId}）` : '待上传（医保平台连接恢复后自动办理）'],
    ['已交预交金', `${yuan(deposits)} 元`],
  ];
  const body =
    media === 'a4'
      ? `<h1>${esc(title)}</h1><div class="sub">${esc(f.hospital.name)}</div>${grid(pairs, 2)}
<div class="foot">请持本单到病区护士站报到。打印时间：${esc(chineseDateTime(f.printedAt))}</div>`
      : `<h1>${esc(f.hospital.name)}</h1><div class="sub">${esc(title)}</div>${kvLines(pairs)}
<div class="rule"></div><div class="foot">请持本单到病区护士站报到。<br>${esc(chineseDateTime(f.printedAt))} ${esc(f.terminalName)}</div>`;
  return page({ title, media, body });
}
