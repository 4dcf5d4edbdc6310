/** Label completion and movement in the labeling grid, as pure functions of the keys and the text. */
import { describe, expect, it } from 'vitest';
import { completeLabel, suggestionRest } from '../../../../src/renderer/src/lib/labeling/completion';
import { columnsFor, gridMove } from '../../../../src/renderer/src/lib/labeling/grid-nav';

describe('label completion', () => {
  const known = ['seven', 'six', 'Sam', 'one'];

  it('offers the first known label (most used first) that starts with the text, ignoring case', () => {
    expect(completeLabel('s', known)).toBe('seven');
    expect(completeLabel('si', known)).toBe('six');
    expect(completeLabel('SA', known)).toBe('Sam');
    expect(completeLabel('o', known)).toBe('one');
  });

  it('offers nothing for empty text, an exact label, or no match', () => {
    expect(completeLabel('', known)).toBeNull();
    expect(completeLabel('  ', known)).toBeNull();
    expect(completeLabel('six', known)).toBeNull();
    expect(completeLabel('z', known)).toBeNull();
  });

  it('suggests the rest of the label after what was typed', () => {
    expect(suggestionRest('sa', known)).toBe('m');
    expect(suggestionRest('se', known)).toBe('ven');
    expect(suggestionRest('x', known)).toBe('');
    expect(suggestionRest('', known)).toBe('');
  });

  it('suggests only longer labels, so a label that begins another stays typeable (1 and 12)', () => {
    expect(suggestionRest('1', ['12', '1'])).toBe('2');
    expect(completeLabel('12', ['12', '1'])).toBeNull();
  });
});

describe('grid movement', () => {
  const caretAt = (pos: number, length: number) => ({ start: pos, end: pos, length });
  const empty = caretAt(0, 0);

  it('moves by arrows in rows of the grid, within its bounds', () => {
    expect(gridMove(0, 10, 4, { key: 'ArrowDown' }, empty)).toBe(4);
    expect(gridMove(5, 10, 4, { key: 'ArrowUp' }, empty)).toBe(1);
    expect(gridMove(1, 10, 4, { key: 'ArrowUp' }, empty)).toBeNull();
    expect(gridMove(8, 10, 4, { key: 'ArrowDown' }, empty)).toBeNull();
    expect(gridMove(3, 10, 4, { key: 'ArrowRight' }, empty)).toBe(4);
    expect(gridMove(0, 10, 4, { key: 'ArrowLeft' }, empty)).toBeNull();
  });

  it('leaves left and right to the text while the caret is inside it or text is selected', () => {
    expect(gridMove(3, 10, 4, { key: 'ArrowRight' }, caretAt(1, 3))).toBeNull();
    expect(gridMove(3, 10, 4, { key: 'ArrowRight' }, caretAt(3, 3))).toBe(4);
    expect(gridMove(3, 10, 4, { key: 'ArrowLeft' }, caretAt(2, 3))).toBeNull();
    expect(gridMove(3, 10, 4, { key: 'ArrowLeft' }, { start: 0, end: 3, length: 3 })).toBeNull();
  });

  it('goes to the next field on Enter and Tab, back with Shift, and lets Tab leave at the ends', () => {
    expect(gridMove(2, 10, 4, { key: 'Enter' }, empty)).toBe(3);
    expect(gridMove(2, 10, 4, { key: 'Enter', shiftKey: true }, empty)).toBe(1);
    expect(gridMove(2, 10, 4, { key: 'Tab' }, empty)).toBe(3);
    expect(gridMove(9, 10, 4, { key: 'Tab' }, empty)).toBeNull();
    expect(gridMove(0, 10, 4, { key: 'Tab', shiftKey: true }, empty)).toBeNull();
  });

  it('jumps to the first and last field with Ctrl+Home / Ctrl+End only', () => {
    expect(gridMove(5, 10, 4, { key: 'Home', ctrlKey: true }, empty)).toBe(0);
    expect(gridMove(5, 10, 4, { key: 'End', metaKey: true }, empty)).toBe(9);
    expect(gridMove(5, 10, 4, { key: 'Home' }, empty)).toBeNull();
    expect(gridMove(5, 10, 4, { key: 'a' }, empty)).toBeNull();
    expect(gridMove(5, 10, 4, { key: 'ArrowDown', altKey: true }, empty)).toBeNull();
  });

  it('counts the columns a grid of tiles fits', () => {
    expect(columnsFor(400, 90, 10)).toBe(4);
    expect(columnsFor(390, 90, 10)).toBe(4);
    expect(columnsFor(389, 90, 10)).toBe(3);
    expect(columnsFor(10, 90, 10)).toBe(1);
  });
});
