import type { Mode } from '../../contract/dto/common.ts';

export const MODE_TITLES: Record<Mode, string> = {
  admission: '入院登记',
  'self-service': '自助服务',
  discharge: '出院结算',
};
