import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * index.html paints 正在启动… before anything else arrives:
 * - the screens' own stylesheet (styles.css, ~14 KB) goes inside it instead of a <link>: a linked stylesheet
 *   blocks the first paint until a second request has come back;
 * - the app's chunk (main.tsx) is preloaded from the start, but run by boot.ts only after the first frame.
 * The font's rules (fonts.css, 235 KB) stay a separate file loaded after the first paint (main.tsx).
 */
function firstPaintFirst(): Plugin {
  return {
    name: 'first-paint-first',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const page = bundle['index.html'];
      if (!page || page.type !== 'asset') return;
      // boot.ts starts main.tsx after the first frame: its chunk is fetched from the start all the same.
      const main = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/renderer/main.tsx'));
      if (main?.type === 'chunk') {
        const files = [main.fileName, ...main.imports.filter((f) => !(bundle[f]?.type === 'chunk' && bundle[f].isEntry))];
        const links = files.map((f) => `  <link rel="modulepreload" crossorigin href="./${f}">\n`).join('');
        page.source = String(page.source).replace('</head>', `${links}  </head>`);
      }
      page.source = String(page.source).replace(/<link rel="stylesheet"[^>]*href="\.\/(assets\/[^"]+\.css)"[^>]*>/g, (tag, file: string) => {
        const sheet = bundle[file];
        if (!sheet || sheet.type !== 'asset') return tag;
        delete bundle[file];
        // CSP allows inline styles (style-src 'unsafe-inline', electron/host/server.ts and the Electron protocol).
        return `<style>${String(sheet.source)}</style>`;
      });
    },
  };
}

// The renderer is a static bundle served by the browser host (electron/host) or loaded by Electron's window.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), firstPaintFirst()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: false,
  },
});
