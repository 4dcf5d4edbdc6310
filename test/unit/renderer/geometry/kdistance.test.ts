import { describe, expect, it } from 'vitest';
import { coreCount, kneeValue, sampleRoles } from '../../../../src/renderer/src/lib/geometry/kdistance';
import { colourCounts, hexColor, parseKs, segmentedRgba } from '../../../../src/renderer/src/lib/geometry/segmentation';
import { stableJson } from '../../../../src/renderer/src/lib/geometry/analysis';
import { runToCsv, fileStem } from '../../../../src/renderer/src/lib/charts/export';

describe('DBSCAN helpers on the k-distances', () => {
  const squared = Float64Array.from([0.01, 0.04, 0.09, 0.25, 1]);

  it('count a sample as core when its k-th neighbour is within eps, boundary included', () => {
    expect(coreCount(squared, 0.2)).toBe(2);
    expect(coreCount(squared, 0.3)).toBe(3);
    expect(coreCount(squared, 0.05)).toBe(0);
  });

  it('tell core, border and noise samples apart', () => {
    expect(Array.from(sampleRoles(Int32Array.from([0, 0, 1, -1, 1]), squared, 0.3))).toEqual([2, 2, 2, 0, 1]);
  });

  it('find the knee of a curve that is flat and then climbs', () => {
    const flat = Array.from({ length: 90 }, (_, i) => 0.1 + i * 0.0005);
    const steep = Array.from({ length: 10 }, (_, i) => 0.2 + i * 0.3);
    const knee = kneeValue(Float64Array.from([...flat, ...steep]));
    expect(knee).toBeGreaterThanOrEqual(0.14);
    expect(knee).toBeLessThanOrEqual(0.5);
  });

  it('give the last value of a constant or tiny curve', () => {
    expect(kneeValue(Float64Array.from([1, 1, 1]))).toBe(1);
    expect(kneeValue(Float64Array.from([0.5]))).toBe(0.5);
    expect(kneeValue(new Float64Array(0))).toBeNaN();
  });
});

describe('segmentation images', () => {
  it('paint every pixel with its colour', () => {
    const rgba = segmentedRgba(Uint8Array.from([1, 0, 1]), Float64Array.from([0, 0, 0, 1, 0.5, 0]));
    expect(Array.from(rgba)).toEqual([255, 128, 0, 255, 0, 0, 0, 255, 255, 128, 0, 255]);
    expect(hexColor(Float64Array.from([0, 0, 0, 1, 0.5, 0]), 1)).toBe('#ff8000');
    expect(Array.from(colourCounts(Uint8Array.from([1, 0, 1]), 2))).toEqual([1, 2]);
  });

  it('read the list of colour counts, refusing what is not one', () => {
    expect(parseKs('10, 8, 6 4;2')).toEqual([10, 8, 6, 4, 2]);
    expect(() => parseKs('10, 0')).toThrow(/"0" is not a number of colours/);
    expect(() => parseKs('  ')).toThrow(/List the numbers/);
    expect(() => parseKs('3.5')).toThrow(/"3.5"/);
  });
});

describe('exports and parameters', () => {
  it('write run labels as row,label CSV, names quoted when needed', () => {
    expect(runToCsv(Int32Array.from([2, -1]))).toBe('row,label\n0,2\n1,-1\n');
    expect(runToCsv(Int32Array.from([0]), ['a,b.png'])).toBe('row,label\n"a,b.png",0\n');
  });

  it('make file names from titles', () => {
    expect(fileStem('Blobs (chapter 9) · Voronoi, k=5')).toBe('blobs-chapter-9-voronoi-k5');
    expect(fileStem('···')).toBe('figure');
  });

  it('compare parameters whatever their key order, ignoring undefined', () => {
    expect(stableJson({ b: 1, a: [{ y: 2, x: 1 }], c: undefined })).toBe(stableJson({ a: [{ x: 1, y: 2 }], b: 1 }));
    expect(stableJson({ a: 1 })).not.toBe(stableJson({ a: 2 }));
  });
});
