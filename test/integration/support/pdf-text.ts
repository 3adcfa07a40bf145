import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF as Chromium (Skia) writes it, for tests that read what is on paper: plain objects (no
 * object streams), Flate-compressed content, Type0 fonts with Identity-H glyph ids and a ToUnicode CMap each.
 * Returns the text runs (one per text object, BT…ET) in page and drawing order. Not a general PDF reader:
 * enough to check that printed figures are the ones on screen, and it fails loudly on anything else.
 */
interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function objects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const s = body.indexOf('stream');
    let stream: Buffer | null = null;
    let dict = body;
    if (s >= 0 && /^\s*<</.test(body)) {
      dict = body.slice(0, s);
      const from = start + s + 'stream'.length + (text[start + s + 6] === '\r' ? 2 : 1);
      const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
      const raw = pdf.subarray(from, from + length);
      stream = /\/Filter \/FlateDecode/.test(dict) ? inflateSync(raw) : Buffer.from(raw);
    }
    out.set(Number(m[1]), { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

/** glyph id → text, from a ToUnicode CMap (bfchar and bfrange, both forms). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, src, dst] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(src!, 16), utf16(dst!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, rest] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g)) {
      const a = parseInt(lo!, 16);
      const b = parseInt(hi!, 16);
      if (rest!.startsWith('[')) {
        const dsts = [...rest!.matchAll(/<([0-9A-Fa-f]+)>/g)].map((x) => utf16(x[1]!));
        for (let g = a; g <= b; g++) map.set(g, dsts[g - a] ?? '');
      } else {
        const first = Buffer.from(rest!.slice(1, -1), 'hex');
        for (let g = a; g <= b; g++) {
          const d = Buffer.from(first);
          d.writeUInt16BE(d.readUInt16BE(d.length - 2) + (g - a), d.length - 2);
          map.set(g, d.swap16().toString('utf16le'));
        }
      }
    }
  }
  return map;
}

interface Glyph {
  page: number;
  x: number;
  y: number;
  size: number;
  text: string;
}

/** Every glyph with its position (text space of the page), in drawing order. */
function glyphs(pdf: Buffer): Glyph[] {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new Error('not a PDF');
  const objs = objects(pdf);
  const fontMaps = new Map<number, Map<number, string>>();
  const fontMap = (ref: number) => {
    let map = fontMaps.get(ref);
    if (!map) {
      const cmapRef = Number(/\/ToUnicode (\d+) 0 R/.exec(objs.get(ref)?.dict ?? '')?.[1]);
      const cmap = objs.get(cmapRef)?.stream;
      if (!cmap) throw new Error(`font ${ref} has no ToUnicode CMap`);
      map = toUnicode(cmap.toString('latin1'));
      fontMaps.set(ref, map);
    }
    return map;
  };
  const out: Glyph[] = [];
  const pages = [...objs.values()].filter((o) => /\/Type \/Page\b/.test(o.dict));
  pages.forEach((page, pageNo) => {
    const fonts = new Map([...(/\/Font <<([^>]*)>>/.exec(page.dict)?.[1] ?? '').matchAll(/\/(\w+) (\d+) 0 R/g)].map(([, name, ref]) => [name!, Number(ref)]));
    const contents = [.../\/Contents (?:\[([^\]]*)\]|(\d+) 0 R)/.exec(page.dict)!.slice(1).join(' ').matchAll(/(\d+)(?: 0 R)?/g)].map((x) => Number(x[1]));
    for (const ref of contents) {
      const content = objs.get(ref)?.stream?.toString('latin1') ?? '';
      let font: Map<number, string> | null = null;
      let size = 0;
      let x = 0;
      let y = 0;
      const ops = /\/(\w+) ([\d.]+) Tf|[-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+) ([-\d.]+) Tm|([-\d.]+) ([-\d.]+) Td|<([0-9A-Fa-f]*)> Tj/g;
      for (const t of content.matchAll(ops)) {
        if (t[1] !== undefined) {
          const fontRef = fonts.get(t[1]);
          font = fontRef === undefined ? null : fontMap(fontRef);
          size = Number(t[2]);
        } else if (t[3] !== undefined) {
          x = Number(t[3]);
          y = Number(t[4]);
        } else if (t[5] !== undefined) {
          x += Number(t[5]);
          y += Number(t[6]);
        } else {
          if (!font) throw new Error('text before a font was chosen');
          const hex = t[7]!;
          for (let i = 0; i + 4 <= hex.length; i += 4) out.push({ page: pageNo, x, y, size, text: font.get(parseInt(hex.slice(i, i + 4), 16)) ?? '\uFFFD' });
        }
      }
    }
  });
  return out;
}

/**
 * The PDF's text as lines, top to bottom: glyphs on one baseline sorted left to right, with " | " where the
 * gap after a glyph is wider than half a character (a table cell boundary; the glyph's width is estimated).
 */
export function pdfTextLines(pdf: Buffer): string[] {
  const lines = new Map<string, Glyph[]>();
  for (const g of glyphs(pdf)) {
    const key = `${g.page}:${Math.round(g.y)}`;
    lines.set(key, [...(lines.get(key) ?? []), g]);
  }
  return [...lines.entries()]
    .sort(([a], [b]) => {
      const [pa, ya] = a.split(':').map(Number);
      const [pb, yb] = b.split(':').map(Number);
      return pa! - pb! || ya! - yb!;
    })
    .map(([, gs]) => {
      const sorted = gs.sort((a, b) => a.x - b.x);
      let line = '';
      sorted.forEach((g, i) => {
        const prev = sorted[i - 1];
        // Where the previous glyph ends (CJK full width, Latin and digits about half), then the gap to this one.
        const end = prev ? prev.x + prev.size * (/^[\x20-\x7e]$/.test(prev.text) ? 0.62 : 1.02) : 0;
        if (prev && g.x - end > 0.45 * g.size) line += ' | ';
        line += g.text;
      });
      return line.replace(/ +\| +/g, ' | ').trim();
    });
}
