/**
 * Prompts recorded for kiosks without a Chinese speech-synthesis voice: the exact data-voice text → the file
 * under renderer/public/voice/. Made by scripts/make-voice-prompts.sh (espeak-ng, Mandarin); keep the two
 * lists in step (test/unit/renderer/voice-prompts.test.ts checks every file is there).
 */
export const RECORDED_PROMPTS: Readonly<Record<string, string>> = {
  '请插入社保卡，或扫描医保电子凭证': 'start.wav',
  '正在读卡，请不要拔出卡片': 'reading.wav',
  请取走您的卡片: 'take-card.wav',
  请输入您的身份证号码: 'id-entry.wav',
  '请打开医保电子凭证，对准下方扫码口': 'scan-voucher.wav',
  '您还在吗？即将返回首页': 'still-there.wav',
  '谢谢，祝您早日康复': 'thanks.wav',
  可以使用医保直接结算: 'direct.wav',
  本次暂不能使用医保直接结算: 'not-direct.wav',
};
