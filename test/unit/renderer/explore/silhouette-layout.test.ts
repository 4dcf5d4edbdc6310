import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bandLayout, bandPadding, coefficientDomain, gridColumns, locate } from '../../../../src/renderer/src/lib/explore/silhouette-layout';
import { paintSilhouette } from '../../../../src/renderer/src/lib/charts/silhouette-canvas';
import { sortByCluster } from '../../../../src/main/worker/analyses/explore';

describe('the silhouette band layout', () => {
  it('stacks the bands as the chapter does: a gap of len(X) // 30 below each band, sizes in label order', () => {
    // The chapter's k = 5 sizes on blobs5 (kmeans_blobs5.json, canonical order).
    const sizes = [402, 400, 405, 396, 397];
    const layout = bandLayout(sizes.map((size, label) => ({ label, size })));
    expect(layout.padding).toBe(66); // 2000 // 30
    expect(layout.bands.map((b) => b.start)).toEqual([66, 534, 1000, 1471, 1933]);
    expect(layout.bands.map((b) => b.mid)).toEqual([267, 734, 1202.5, 1669, 2131.5]);
    expect(layout.total).toBe(2000 + 6 * 66);
  });

  it('keeps at least one unit between bands of tiny data', () => {
    expect(bandPadding(10)).toBe(1);
    expect(bandLayout([{ label: 0, size: 3 }, { label: 1, size: 2 }]).bands.map((b) => b.start)).toEqual([1, 5]);
  });

  it('finds the sample under any unit, and nothing in the gaps', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 2, maxLength: 8 }), fc.integer({ min: 1, max: 9 }), (sizes, padding) => {
        const layout = bandLayout(sizes.map((size, label) => ({ label, size })), padding);
        for (let u = 0; u < layout.total; u++) {
          const hit = locate(layout, u + 0.5);
          const inside = layout.bands.findIndex((b) => u >= b.start && u < b.start + b.size);
          if (inside < 0) expect(hit).toBeNull();
          else expect(hit).toEqual({ band: inside, offset: u - layout.bands[inside].start });
        }
      }),
      { numRuns: 40 },
    );
  });

  it('spans the coefficient axis from −0.1 (or lower, to a tenth) to 1', () => {
    expect(coefficientDomain(0.05)).toEqual([-0.1, 1]);
    expect(coefficientDomain(-0.046)).toEqual([-0.1, 1]);
    expect(coefficientDomain(-0.26)).toEqual([-0.3, 1]);
    expect(coefficientDomain(-5)).toEqual([-1, 1]);
  });

  it('lays one diagram alone and up to four in two columns', () => {
    expect([1, 2, 3, 4].map(gridColumns)).toEqual([1, 2, 2, 2]);
  });
});

/** A canvas context that records the vertices of each filled path. */
function recorder(): { ctx: CanvasRenderingContext2D; fills: Array<Array<[number, number]>> } {
  const fills: Array<Array<[number, number]>> = [];
  let path: Array<[number, number]> = [];
  const ctx = {
    canvas: { width: 400, height: 300 },
    setTransform() {},
    clearRect() {},
    beginPath: () => (path = []),
    moveTo: (x: number, y: number) => path.push([x, y]),
    lineTo: (x: number, y: number) => path.push([x, y]),
    closePath() {},
    fill: () => fills.push(path),
    stroke() {},
    globalAlpha: 1,
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, fills };
}

describe('the silhouette band painter', () => {
  it('draws each band as one path of a few vertices per pixel row, whose right edge is the largest coefficient of the row', () => {
    const n = 20_000;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const values = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % n) / n - 0.1);
    const { order, clusters } = sortByCluster(labels, values);
    const layout = bandLayout(clusters);
    const height = 300, width = 400;
    const yMap = { a: -height / layout.total, b: height };
    const xMap = { a: width / 1.1, b: 0.1 * (width / 1.1) };
    const { ctx, fills } = recorder();
    paintSilhouette(ctx, { values, order, starts: clusters.map((c) => c.start), layout, xMap, yMap, colors: ['#f00', '#00f'], emphasis: null, devicePixelRatio: 1 });
    expect(fills).toHaveLength(2);
    for (const [bi, path] of fills.entries()) {
      const c = clusters[bi];
      const rows = Math.ceil(c.size * -yMap.a) + 1;
      expect(path.length).toBeLessThanOrEqual(4 * rows + 1);
      // The rightmost vertex is the band's largest coefficient, the leftmost its smallest (negative).
      const xs = path.map(([x]) => x);
      expect(Math.max(...xs)).toBeCloseTo(xMap.a * c.max + xMap.b, 9);
      expect(Math.min(...xs)).toBeCloseTo(xMap.a * c.min + xMap.b, 9);
    }
  });
});
