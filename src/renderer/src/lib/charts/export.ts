/**
 * Export of diagrams and results. A diagram is an element holding absolutely positioned layers —
 * canvases (points, images) and SVGs (axes, regions, marks) — stacked in DOM order. SVG export
 * rebuilds that stack as one standalone SVG: each SVG layer cloned with its computed styles
 * written inline (the app's CSS variables mean nothing outside it), each canvas embedded as a PNG
 * image at its place. PNG export rasterises the same SVG at the screen's pixel ratio, so both
 * formats show exactly what the page shows. Any view can use it: give it the figure's element.
 */
import type { RunDetail } from '../../../../shared/dto';

/** Presentation properties copied inline from the computed style of every SVG element. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-variant-numeric',
  'text-anchor',
  'dominant-baseline',
  'visibility',
  'display',
  'paint-order',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';

function copyStyles(source: Element, target: Element): void {
  const cs = getComputedStyle(source);
  const decl = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
  target.setAttribute('style', decl);
  const from = source.children, to = target.children;
  for (let i = 0; i < from.length && i < to.length; i++) copyStyles(from[i], to[i]);
}

/** The layers of a figure (canvases and SVGs), in paint order, with their offsets in the figure. */
function layersOf(figure: HTMLElement): Array<{ el: HTMLCanvasElement | SVGSVGElement; x: number; y: number; w: number; h: number }> {
  const box = figure.getBoundingClientRect();
  const found = Array.from(figure.querySelectorAll<HTMLCanvasElement | SVGSVGElement>('canvas, svg')).filter(
    // Nested SVGs travel with their parent; hidden layers and export buttons' icons stay out.
    (el) => !el.parentElement?.closest('svg') && !el.closest('[data-export-skip]') && getComputedStyle(el).display !== 'none',
  );
  // Paint order: z-index first (layers are stacked with it), then DOM order.
  const z = (el: Element): number => Number.parseInt(getComputedStyle(el).zIndex, 10) || 0;
  return found
    .map((el, i) => ({ el, i, z: z(el) }))
    .sort((a, b) => a.z - b.z || a.i - b.i)
    .map(({ el }) => {
      const r = el.getBoundingClientRect();
      return { el, x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height };
    });
}

/** A standalone SVG document of the figure as shown. */
export function figureToSvg(figure: HTMLElement, opts: { background?: string; title?: string } = {}): string {
  const box = figure.getBoundingClientRect();
  const w = Math.round(box.width), h = Math.round(box.height);
  const root = document.createElementNS(SVG_NS, 'svg');
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(w));
  root.setAttribute('height', String(h));
  root.setAttribute('viewBox', `0 0 ${w} ${h}`);
  if (opts.title) {
    const t = document.createElementNS(SVG_NS, 'title');
    t.textContent = opts.title;
    root.append(t);
  }
  const bg = opts.background ?? getComputedStyle(figure).backgroundColor;
  if (bg && bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') {
    const r = document.createElementNS(SVG_NS, 'rect');
    r.setAttribute('width', String(w));
    r.setAttribute('height', String(h));
    r.setAttribute('fill', bg);
    root.append(r);
  }
  for (const layer of layersOf(figure)) {
    const g = document.createElementNS(SVG_NS, 'g');
    g.setAttribute('transform', `translate(${layer.x.toFixed(2)} ${layer.y.toFixed(2)})`);
    if (layer.el instanceof HTMLCanvasElement) {
      if (layer.el.width === 0 || layer.el.height === 0) continue;
      const img = document.createElementNS(SVG_NS, 'image');
      img.setAttribute('width', String(layer.w));
      img.setAttribute('height', String(layer.h));
      img.setAttribute('href', layer.el.toDataURL('image/png'));
      g.append(img);
    } else {
      const clone = layer.el.cloneNode(true) as SVGSVGElement;
      copyStyles(layer.el, clone);
      clone.removeAttribute('class');
      clone.setAttribute('x', '0');
      clone.setAttribute('y', '0');
      clone.setAttribute('width', String(layer.w));
      clone.setAttribute('height', String(layer.h));
      g.append(clone);
    }
    root.append(g);
  }
  return new XMLSerializer().serializeToString(root);
}

/** The figure as a PNG at `scale` × its CSS size (default: the screen's pixel ratio). */
export async function figureToPng(figure: HTMLElement, opts: { background?: string; scale?: number } = {}): Promise<Blob> {
  const svg = figureToSvg(figure, { background: opts.background });
  const box = figure.getBoundingClientRect();
  const scale = opts.scale ?? Math.max(1, window.devicePixelRatio || 1);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'sync';
    await new Promise<void>((ok, fail) => {
      img.onload = () => ok();
      img.onerror = () => fail(new Error('the figure could not be rendered as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(box.width * scale));
    canvas.height = Math.max(1, Math.round(box.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2-D canvas to render the figure on');
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('PNG encoding failed'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Offers a blob as a download (a save dialog in the desktop app, the downloads folder in a browser). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name from a title: letters, digits, dashes. */
export function fileStem(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]+/g, '')
      .trim()
      .replace(/[\s_]+/g, '-')
      .toLowerCase()
      .slice(0, 80) || 'figure'
  );
}

/** Exports a figure in one of the two image formats under `<stem>.svg` / `<stem>.png`. */
export async function exportFigure(figure: HTMLElement, stem: string, format: 'svg' | 'png'): Promise<void> {
  if (format === 'svg') saveBlob(new Blob([figureToSvg(figure, { title: stem })], { type: 'image/svg+xml' }), `${fileStem(stem)}.svg`);
  else saveBlob(await figureToPng(figure), `${fileStem(stem)}.png`);
}

// ── Run results ──────────────────────────────────────────────────────────────────────────────

/**
 * A run's labels as CSV: `row,label` (−1 = noise), one line per sample; `names` (image files)
 * replace the row numbers when given.
 */
export function runToCsv(labels: Int32Array, names: readonly string[] | null = null): string {
  const lines = ['row,label'];
  for (let i = 0; i < labels.length; i++) {
    const row = names ? csvCell(names[i] ?? String(i)) : String(i);
    lines.push(`${row},${labels[i]}`);
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A run as JSON: what it was (algorithm, parameters, seed), what it found (labels, centres, metrics). */
export function runToJson(run: RunDetail, dataset: { name: string; featureNames: string[] }): string {
  const centers = run.centers
    ? Array.from({ length: run.centers.rows }, (_, i) => Array.from(run.centers!.data.subarray(i * run.centers!.cols, (i + 1) * run.centers!.cols)))
    : null;
  return JSON.stringify(
    {
      dataset: dataset.name,
      features: dataset.featureNames,
      run: run.id,
      algorithm: run.algorithm,
      params: run.params,
      randomState: run.randomState,
      createdAt: run.createdAt,
      durationMs: run.durationMs,
      nClusters: run.nClusters,
      metrics: Object.fromEntries(Object.entries(run.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
      labels: Array.from(run.labels),
      centers,
    },
    null,
    2,
  );
}

/** Saves a run's results as `<stem>.csv` or `<stem>.json`. */
export function exportRun(run: RunDetail, dataset: { name: string; featureNames: string[] }, format: 'csv' | 'json', names: readonly string[] | null = null): void {
  const stem = fileStem(`${dataset.name} ${run.algorithm} ${run.id.slice(0, 8)}`);
  if (format === 'csv') saveBlob(new Blob([runToCsv(run.labels, names)], { type: 'text/csv' }), `${stem}.csv`);
  else saveBlob(new Blob([runToJson(run, dataset)], { type: 'application/json' }), `${stem}.json`);
}
