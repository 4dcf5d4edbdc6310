import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzyFilter, fuzzyMatch } from '../../../../src/renderer/src/lib/shell/fuzzy';

const TITLES = ['Toggle Full Screen', 'Go to Clusters', 'Close Project', 'Save As…', 'Save', 'Undo', 'Redo', 'Cancel All Jobs', 'About Clusterscope', 'Go to Choose k'];
const best = (q: string): string | undefined => fuzzyFilter(TITLES, q, (t) => t)[0]?.item;

describe('fuzzyMatch', () => {
  it('matches when the letters appear in order, ignoring case and spaces, and not otherwise', () => {
    expect(fuzzyMatch('gtc', 'Go to Clusters')).not.toBeNull();
    expect(fuzzyMatch('GO CLU', 'Go to Clusters')).not.toBeNull();
    expect(fuzzyMatch('ctg', 'Go to Clusters')).toBeNull();
    expect(fuzzyMatch('x', 'Go to Clusters')).toBeNull();
    expect(fuzzyMatch('longer than the text', 'short')).toBeNull();
  });

  it('gives the positions of the matched letters, preferring word starts', () => {
    expect(fuzzyMatch('gtc', 'Go to Clusters')!.positions).toEqual([0, 3, 6]);
    expect(fuzzyMatch('abt', 'About Clusterscope')!.positions).toEqual([0, 1, 4]);
    // "cs": the C of Clusters and the s of its second word part… the camel-case start wins.
    expect(fuzzyMatch('sa', 'Save As…')!.positions).toEqual([0, 1]);
    expect(fuzzyMatch('as', 'Save As…')!.positions).toEqual([5, 6]);
  });

  it('matches everything with an empty query', () => {
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
    expect(fuzzyMatch('   ', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('finds any subsequence of the text, at increasing positions of the same letters (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.array(fc.boolean(), { maxLength: 40 }), (text, keep) => {
        const letters = [...text].filter((c, i) => keep[i] && c.trim() !== '');
        const m = fuzzyMatch(letters.join(''), text);
        expect(m).not.toBeNull();
        const pos = m!.positions;
        for (let i = 1; i < pos.length; i++) expect(pos[i]).toBeGreaterThan(pos[i - 1]);
        expect(pos.map((p) => text[p].toLowerCase())).toEqual(letters.map((c) => c.toLowerCase()));
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzzyFilter', () => {
  it('ranks word starts and runs above scattered letters', () => {
    expect(best('gtc')).toBe('Go to Clusters');
    expect(best('gtck')).toBe('Go to Choose k');
    expect(best('save')).toBe('Save');
    expect(best('sas')).toBe('Save As…');
    expect(best('undo')).toBe('Undo');
    expect(best('caj')).toBe('Cancel All Jobs');
    expect(best('full')).toBe('Toggle Full Screen');
  });

  it('puts the shorter of equal matches first, then keeps the original order; an empty query keeps everything in order', () => {
    expect(fuzzyFilter(TITLES, '', (t) => t).map((r) => r.item)).toEqual(TITLES);
    expect(fuzzyFilter(['b x', 'a x'], 'x', (t) => t).map((r) => r.item)).toEqual(['b x', 'a x']);
  });

  it('also finds items by their extra words, listed after direct matches and without highlights', () => {
    const items = [
      { title: 'Preferences…', group: 'Edit' },
      { title: 'Edit Labels', group: 'Labeling' },
    ];
    const r = fuzzyFilter(items, 'edit', (i) => i.title, (i) => i.group);
    expect(r.map((x) => x.item.title)).toEqual(['Edit Labels', 'Preferences…']);
    expect(r[1].match.positions).toEqual([]);
  });
});
