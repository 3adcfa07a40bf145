import type { CodeTable } from './code-table.ts';

/** chrgitm_lv 收费项目等级 (nhsa-interface.md §3). */
export const CHRGITM_LV: CodeTable = {
  '01': '甲类',
  '02': '乙类',
  '03': '丙类',
};

export const CHRGITM_LV_A = '01';
export const CHRGITM_LV_B = '02';
/** 丙类: wholly self-paid (settlement-rules §4). */
export const CHRGITM_LV_C = '03';
