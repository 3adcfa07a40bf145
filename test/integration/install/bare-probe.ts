/**
 * Run by bare-machine.test.ts inside a mount namespace where the system Chromium and every system font are
 * hidden. Prints one JSON line: which Chromium the resolver chose, and a 结算单-like PDF rendered with it.
 */
import { page } from '../../../services/documents/html.ts';
import { ChromiumPdfRenderer } from '../../../services/documents/pdf.ts';

const html = page({ title: '住院结算单', media: 'a4', body: '<h1>江苏省医疗保障住院结算单</h1><p class="strong">医保统筹支付 1,234.50 元</p>' });
const renderer = new ChromiumPdfRenderer();
try {
  const pdf = await renderer.render(html, 'a4');
  const text = pdf.toString('latin1');
  console.log(JSON.stringify({
    source: renderer.launched?.source,
    executablePath: renderer.launched?.executablePath,
    pdfHeader: text.slice(0, 5),
    fonts: [...new Set([...text.matchAll(/\/BaseFont\s*\/([A-Za-z0-9+_-]+)/g)].map((m) => m[1]!.replace(/^[A-Z]{6}\+/, '')))],
  }));
} finally {
  await renderer.close();
}
