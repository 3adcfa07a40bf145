import type { CodeTable } from './code-table.ts';

/** dscg_way 离院方式 (病案首页 convention, nhsa-interface.md §3). */
export const DSCG_WAY: CodeTable = {
  '1': '医嘱离院',
  '2': '医嘱转院',
  '3': '医嘱转社区卫生服务机构/乡镇卫生院',
  '4': '非医嘱离院',
  '5': '死亡',
  '9': '其他',
};
