import { describe, expect, it } from 'vitest';
import { nextStep, TOUR_STEPS, type TourStep } from '../../../../src/renderer/src/lib/shell/tour-steps';
import { describeNpy, dropKind } from '../../../../src/renderer/src/lib/shell/drop';

describe('the tour', () => {
  const ids = (steps: readonly TourStep[]): string[] => steps.map((s) => s.id);

  it('walks over the steps whose element is on screen, both ways, and ends after the last', () => {
    const present = (s: TourStep): boolean => s.id !== 'views';
    const order: string[] = [];
    for (let i = nextStep(-1, 1, present); i !== null; i = nextStep(i, 1, present)) order.push(TOUR_STEPS[i].id);
    expect(order).toEqual(ids(TOUR_STEPS).filter((id) => id !== 'views'));
    const last = TOUR_STEPS.length - 1;
    expect(TOUR_STEPS[nextStep(last, -1, present)!].id).toBe(TOUR_STEPS[last - 2].id);
    expect(nextStep(0, -1, present)).toBeNull();
    expect(nextStep(-1, 1, () => false)).toBeNull();
  });

  it('has a few steps, each with an anchor, a title and a text', () => {
    expect(TOUR_STEPS.length).toBeGreaterThanOrEqual(4);
    expect(TOUR_STEPS.length).toBeLessThanOrEqual(7);
    for (const s of TOUR_STEPS) {
      expect(s.anchor).toMatch(/^\[data-/);
      expect(s.title).not.toBe('');
      expect(s.text.length).toBeGreaterThan(40);
    }
    expect(new Set(ids(TOUR_STEPS)).size).toBe(TOUR_STEPS.length);
  });
});

describe('dropped files', () => {
  it('are told apart by their extension, any case; folders by being folders', () => {
    expect(dropKind('iris.csv', false)).toBe('table');
    expect(dropKind('DATA.TSV', false)).toBe('table');
    expect(dropKind('x.npy', false)).toBe('npy');
    expect(dropKind('ladybug.PNG', false)).toBe('image');
    expect(dropKind('face.pgm', false)).toBe('image');
    expect(dropKind('study.clusterscope', false)).toBe('project');
    expect(dropKind('faces', true)).toBe('folder');
    expect(dropKind('faces.csv', true)).toBe('folder');
    expect(dropKind('notes.docx', false)).toBe('unknown');
    expect(dropKind('.csv', false)).toBe('unknown');
    expect(dropKind('README', false)).toBe('unknown');
  });

  it('report a .npy import with the dtype and shape of its header', () => {
    expect(describeNpy('f.npy', { dtype: '<f8', shape: [1797, 64], dataset: { nSamples: 1797, nFeatures: 64 } })).toBe('f.npy: <f8, shape (1797, 64) → 1,797 samples × 64 features');
    expect(describeNpy('v.npy', { dtype: '|u1', shape: [3], dataset: { nSamples: 3, nFeatures: 1 } })).toBe('v.npy: |u1, shape (3,) → 3 samples × 1 features');
  });
});
