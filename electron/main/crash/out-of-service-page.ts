/**
 * The page a patient sees when the terminal has given up: static HTML, no scripts (the CSP would block them
 * anyway), large Chinese text that sends them to the staffed desk. `detail` is for staff (a configuration
 * error message, already Chinese and free of personal data); the time tells IT when it happened.
 */
export function outOfServicePage(input: { terminalName: string; since: Date; detail?: string }): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const pad = (n: number) => String(n).padStart(2, '0');
  const d = input.since;
  const when = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>暂停服务</title>
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 24px;
         background: #f4f6f8; color: #1f2d3d; font-family: "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
         cursor: default; user-select: none; }
  h1 { font-size: 56px; margin: 0; }
  p { font-size: 32px; margin: 0; }
  small { font-size: 18px; color: #5a6b7c; }
</style>
</head>
<body>
  <h1>本机暂停服务</h1>
  <p>请到人工窗口办理，给您带来不便，敬请谅解。</p>
  ${input.detail ? `<small>${esc(input.detail)}</small>` : ''}
  <small>${esc(input.terminalName)} · ${esc(when)} · 如需恢复，请联系信息科重启终端。</small>
</body>
</html>
`;
}
