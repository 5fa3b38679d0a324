/**
 * A labelled contact sheet of a preview: one row per item (original, then every view), column
 * titles on top and each view's sampled parameters under it; with `steps`, one extra row per view
 * showing the image after each op. Thumbnails are scaled with nearest-neighbour (pixels stay
 * visible at 32 px); text is an SVG overlay rasterised by sharp (librsvg).
 */
import sharp, { type OverlayOptions } from 'sharp';
import type { PreviewResult } from './index';
import { describeOp, describeView } from './labels';

export interface GridOptions {
  /** Draw titles and parameter captions (default true). */
  labels?: boolean;
  /** Thumbnail side in pixels (default 112). */
  cellSize?: number;
  /** Add the step-by-step rows when the preview has them (default true). */
  steps?: boolean;
}

const GAP = 6;
const FONT = 10;
const LINE = 12;
/** Average advance of DejaVu Sans at FONT px, for wrapping. */
const CHAR_WIDTH = 6.2;
const CAPTION_LINES = 5;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Greedy word wrap into at most `lines` lines of about `chars` characters. */
function wrap(text: string, chars: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > chars) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  if (out.length > lines) out.splice(lines - 1, out.length, `${out[lines - 1] ?? ''} …`);
  return out;
}

/** Captions of the columns that are not pipeline views (jigsaw mosaic, triplet negative, RotNet). */
function extraCaption(name: string, params: PreviewResult['params'][number] | undefined): string {
  if (name.startsWith('jigsaw')) return `permutation #${params?.permutationIndex ?? '?'}`;
  if (name === 'negative') return `image ${params?.negative ?? '?'}`;
  return name;
}

interface Cell {
  png: Buffer;
  caption: string;
}

export async function renderPreviewGrid(
  result: PreviewResult,
  options: GridOptions = {},
): Promise<Buffer> {
  const labels = options.labels ?? true;
  const cell = options.cellSize ?? 112;
  const captionHeight = labels ? CAPTION_LINES * LINE + 4 : 0;
  const headerHeight = labels ? LINE + 8 : 0;
  const rows: Cell[][] = [];
  result.items.forEach((item, j) => {
    const params = result.params[j];
    const captions = [`image ${params?.image ?? j}`];
    const viewCaptions = (params?.views ?? []).map((v) =>
      describeView(
        v.ops.map((o) => ({ op: o.op, params: [o.params] })),
        0,
      ),
    );
    item.views.forEach((_, v) =>
      captions.push(viewCaptions[v] ?? extraCaption(result.viewNames[v] ?? '', params)),
    );
    rows.push([
      { png: item.original, caption: captions[0] ?? '' },
      ...item.views.map((png, v) => ({ png, caption: captions[v + 1] ?? '' })),
    ]);
    if (options.steps ?? true) {
      const byView = new Map<number, Cell[]>();
      for (const step of item.steps ?? []) {
        const list = byView.get(step.view) ?? [];
        const name = result.viewNames[step.view] ?? `view ${step.view}`;
        list.push({
          png: step.png,
          caption: `${name}: ${describeOp(step.op, step.params) ?? `${step.op} (off)`}`,
        });
        byView.set(step.view, list);
      }
      for (const list of byView.values())
        rows.push([{ png: item.original, caption: 'original' }, ...list]);
    }
  });
  const columns = Math.max(1, ...rows.map((r) => r.length));
  const width = GAP + columns * (cell + GAP);
  const rowHeight = cell + captionHeight + GAP;
  const height = headerHeight + GAP + rows.length * rowHeight;

  const composites: OverlayOptions[] = [];
  const text: string[] = [];
  const titles = ['original', ...result.viewNames];
  if (labels) {
    titles.slice(0, columns).forEach((title, c) => {
      text.push(
        `<text x="${GAP + c * (cell + GAP)}" y="${LINE + 2}" font-weight="bold">${escapeXml(title)}</text>`,
      );
    });
  }
  for (const [r, row] of rows.entries()) {
    for (const [c, entry] of row.entries()) {
      const left = GAP + c * (cell + GAP);
      const top = headerHeight + GAP + r * rowHeight;
      const thumb = await sharp(entry.png)
        .resize(cell, cell, {
          kernel: 'nearest',
          fit: 'contain',
          background: { r: 255, g: 255, b: 255 },
        })
        .toColourspace('srgb')
        .png()
        .toBuffer();
      composites.push({ input: thumb, left, top });
      if (labels) {
        wrap(entry.caption, Math.floor(cell / CHAR_WIDTH), CAPTION_LINES).forEach((line, l) => {
          text.push(
            `<text x="${left}" y="${top + cell + LINE * (l + 1)}">${escapeXml(line)}</text>`,
          );
        });
      }
    }
  }
  if (labels && text.length) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g font-family="DejaVu Sans, Arial, sans-serif" font-size="${FONT}" fill="#222">${text.join('')}</g></svg>`;
    composites.push({ input: Buffer.from(svg), left: 0, top: 0 });
  }
  return sharp({ create: { width, height, channels: 3, background: { r: 255, g: 255, b: 255 } } })
    .composite(composites)
    .png()
    .toBuffer();
}
