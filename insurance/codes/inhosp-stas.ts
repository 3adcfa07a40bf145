import type { CodeTable } from './code-table.ts';

/** inhosp_stas 在院状态 in 1101's exp_content (sandbox reading: open admission anywhere). */
export const INHOSP_STAS: CodeTable = { '0': '不在院', '1': '在院' };
