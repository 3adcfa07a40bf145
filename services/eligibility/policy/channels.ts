/**
 * Where a patient files (异地就医备案), claims (零星报销) or registers for 大市一卡通, by the insured place
 * (参保地, admdvs). Data, not prose: a channel is named only to those it serves — 江苏医保云 serves Jiangsu
 * insured only; the national channels serve everyone; a city's own channels only its insured (shared/seeds:
 * 大市一卡通 is registered at the 社保 windows, 江阴 at the 市社保中心 and the town 人社所).
 */
export type ChannelUse = 'filing' | 'claim' | 'dsyk';

interface Channel {
  name: string;
  /** admdvs prefix the channel serves: '' everyone, '32' Jiangsu, '320281' 江阴 … */
  serves: string;
  uses: readonly ChannelUse[];
}

export const CHANNELS: readonly Channel[] = [
  { name: '国家医保服务平台 APP', serves: '', uses: ['filing', 'claim'] },
  { name: '国家异地就医备案微信小程序', serves: '', uses: ['filing'] },
  { name: '江苏医保云 APP', serves: '32', uses: ['filing', 'claim'] },
  { name: '江阴市民卡微信公众号', serves: '320281', uses: ['dsyk'] },
  { name: '江阴市社保中心或各镇（街道）人社所的社保窗口', serves: '320281', uses: ['dsyk'] },
  { name: '宜兴市社保经办窗口', serves: '320282', uses: ['dsyk'] },
  { name: '无锡市社会保险基金管理中心的社保窗口', serves: '3202', uses: ['dsyk'] },
];

/** The channels serving someone insured at `insuplc` for `use`, most specific last-named first. */
export function channelsFor(insuplc: string, use: ChannelUse): string[] {
  const fitting = CHANNELS.filter((c) => c.uses.includes(use) && insuplc.startsWith(c.serves));
  // For a city's own business (大市一卡通) the most specific channel is the one to name alone when there is one.
  if (use === 'dsyk') {
    const longest = Math.max(0, ...fitting.map((c) => c.serves.length));
    return fitting.filter((c) => c.serves.length === longest).map((c) => c.name);
  }
  return fitting.map((c) => c.name);
}

/** "A、B或C" */
export function orList(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join('、')}或${names.at(-1)}`;
}
