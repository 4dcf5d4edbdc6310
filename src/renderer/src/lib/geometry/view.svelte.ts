/**
 * What the geometry views share: their plane (loaded per dataset), their saved state (one
 * view-state key per view and dataset), the points painter, and the colours of labels.
 */
import type { ClientApi } from '../../../../shared/api';
import type { DatasetSummary } from '../../../../shared/dto';
import { paintScatter } from '../charts/scatter-canvas';
import { categoricalColors, noiseColor } from '../charts/palette';
import type { Scales } from '../charts/PlotFrame.svelte';
import { errorMessage } from '../format';
import { loadViewPlane, type ViewPlane } from './plane';

/** The plane of the dataset in view, reloaded when the dataset or its columns change. */
export class PlaneState {
  vp = $state.raw<ViewPlane | null>(null);
  error = $state<string | null>(null);
  /** True while the projection job runs. */
  projecting = $state(false);
  private gen = 0;
  private key = '';

  constructor(private readonly api: ClientApi) {}

  async load(ds: DatasetSummary, xCol: number, yCol: number): Promise<void> {
    const key = ds.nFeatures === 2 ? `${ds.id}:${xCol},${yCol}` : `${ds.id}:pca`;
    if (key === this.key && (this.vp || this.error)) return;
    this.key = key;
    const gen = ++this.gen;
    this.vp = null;
    this.error = null;
    try {
      const vp = await loadViewPlane(this.api, ds, xCol, yCol, () => (this.projecting = true));
      if (gen === this.gen) this.vp = vp;
    } catch (e) {
      if (gen === this.gen) this.error = errorMessage(e);
    } finally {
      if (gen === this.gen) this.projecting = false;
    }
  }
}

/** The saved state of a view for a dataset (null when none or unreadable). */
export async function readViewState<T>(api: ClientApi, view: string, datasetId: string): Promise<T | null> {
  try {
    const v = await api.project.getViewState(`geometry:${view}:${datasetId}`);
    return v && typeof v === 'object' ? (v as T) : null;
  } catch {
    return null;
  }
}

/** Saves a view's state with the project; a read-only project keeps it for the session only. */
export function writeViewState(api: ClientApi, view: string, datasetId: string, value: unknown, onerror: (m: string) => void): void {
  api.project.setViewState(`geometry:${view}:${datasetId}`, value).catch((e: unknown) => onerror(`Could not save the view: ${errorMessage(e)}`));
}

/** Paints points coloured by label (−1 and out-of-range labels in the noise colour). */
export function paintPoints(ctx: CanvasRenderingContext2D, s: Scales, x: Float64Array, y: Float64Array, codes: Int32Array | null, colors: readonly string[], other: string): number {
  const lin = (sc: Scales['x']): { a: number; b: number } => {
    const [d0, d1] = sc.domain(), [r0, r1] = sc.range();
    const a = (r1 - r0) / (d1 - d0);
    return { a, b: r0 - a * d0 };
  };
  return paintScatter(ctx, {
    x,
    y,
    codes: codes && codes.length === x.length ? codes : null,
    colors,
    otherColor: other,
    xMap: lin(s.x),
    yMap: lin(s.y),
    width: s.width,
    height: s.height,
    devicePixelRatio: s.dpr,
  });
}

/** Colours for labels 0..max(label), and the noise colour. */
export function labelColors(labels: ArrayLike<number> | null, dark: boolean): { colors: string[]; other: string } {
  let max = -1;
  if (labels) for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return { colors: categoricalColors(max + 1, dark), other: noiseColor(dark) };
}

/** Calls `fn` once calls stop for `ms` milliseconds. */
export function debounce<A extends unknown[]>(fn: (...a: A) => void, ms: number): ((...a: A) => void) & { cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const call = (...a: A): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      fn(...a);
    }, ms);
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return call;
}
