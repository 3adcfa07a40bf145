/** Chinese labels for the codes that reach the screens. */
export const SCOPE_TEXT: Record<string, string> = {
  local: '本地就医',
  'in-province': '省内异地就医',
  'cross-province': '跨省异地就医',
};

export const CASE_TEXT: Record<string, string> = {
  local: '本地参保',
  emergency: '急诊抢救（视同已备案）',
  'filed-long-term': '已备案（长期异地居住）',
  'filed-referral': '已备案（转诊转院）',
  'filed-temporary': '已备案（临时外出就医）',
  unfiled: '未办理异地就医备案',
};

export const ADMISSION_STATUS_TEXT: Record<string, string> = {
  queued: '已登记，待上传医保',
  admitted: '在院',
  cancelled: '已取消',
  discharged: '已出院待结算',
  settled: '已结算',
  'dead-letter': '上传失败，待处理',
};

export const PAYMENT_TEXT: Record<string, string> = {
  cash: '现金',
  'bank-card': '银行卡',
  wechat: '微信',
  alipay: '支付宝',
};

export const LEVEL_TEXT: Record<string, string> = { '01': '甲类', '02': '乙类', '03': '丙类' };

export const LINE_STATE_TEXT: Record<string, string> = {
  local: '未上传',
  uploaded: '已上传',
  refused: '被拒绝',
  cancelled: '已撤销',
};

export const QUEUE_STATE_TEXT: Record<string, string> = {
  pending: '等待上传',
  'in-flight': '正在上传',
  'unknown-outcome': '结果未知，待冲正',
  dead: '失败，需处理',
  done: '已完成',
  cancelled: '已取消',
};

/** A dead item's state in words when its reason is not a refusal (the reason itself is in 最近错误). */
export const DEAD_REASON_TEXT: Record<string, string> = {
  'reversal-cap': '待人工处理：多次冲正仍无可靠答复',
  'output-invalid': '待人工处理：平台已受理，结果无法读取',
  'reversal-refused': '待人工处理：冲正被拒',
};

/** National transaction numbers as staff know them. */
export const INFNO_TEXT: Record<string, string> = {
  '2401': '入院登记',
  '2402': '出院登记',
  '2404': '撤销入院',
  '2301': '费用上传',
  '2302': '费用撤销',
  '2303': '预结算',
  '2304': '结算',
  '2305': '撤销结算',
  '2601': '冲正',
};

export const CERT_TYPE_TEXT: Record<string, string> = { '01': '医保电子凭证', '02': '居民身份证', '03': '社会保障卡号' };

/** 险种 (insutype) and 清算类别 (clr_type) names staff read on the day-end report. */
export const INSUTYPE_TEXT: Record<string, string> = {
  '310': '职工基本医疗保险',
  '320': '公务员医疗补助',
  '330': '大额医疗费用补助',
  '390': '城乡居民基本医疗保险',
  '392': '城乡居民大病医疗保险',
  '510': '生育保险',
};
export const CLR_TYPE_TEXT: Record<string, string> = { '11': '门诊', '21': '住院', '41': '药店购药', '99': '其他' };
