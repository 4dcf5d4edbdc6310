import { describe, expect, it } from 'vitest';
import { chordOf, hasCommandModifier, sameChord, type KeyLike } from '../../../../src/renderer/src/lib/shell/keys';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods });

describe('chordOf', () => {
  it('writes a key press as an accelerator: modifiers in order, letters in capitals', () => {
    expect(chordOf(key('k', { ctrlKey: true }))).toBe('Ctrl+K');
    expect(chordOf(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+Z');
    expect(chordOf(key('k', { metaKey: true }))).toBe('Cmd+K');
    expect(chordOf(key('j'))).toBe('J');
    expect(chordOf(key('J', { shiftKey: true }))).toBe('Shift+J');
    expect(chordOf(key('ArrowDown'))).toBe('Down');
    expect(chordOf(key('Enter', { ctrlKey: true }))).toBe('Ctrl+Enter');
    expect(chordOf(key(' '))).toBe('Space');
    expect(chordOf(key('F2'))).toBe('F2');
  });

  it('takes digits from the key position, so Shift keeps them digits', () => {
    expect(chordOf({ ...key('!', { shiftKey: true, ctrlKey: true }), code: 'Digit1' })).toBe('Ctrl+Shift+1');
    expect(chordOf({ ...key('2', { ctrlKey: true }), code: 'Digit2' })).toBe('Ctrl+2');
  });

  it('leaves Shift out of printed symbols (it is part of the character)', () => {
    expect(chordOf(key('?', { shiftKey: true }))).toBe('?');
    expect(chordOf(key('/', { ctrlKey: true }))).toBe('Ctrl+/');
    expect(chordOf(key(',', { ctrlKey: true }))).toBe('Ctrl+,');
    expect(chordOf(key('+', { ctrlKey: true, shiftKey: true }))).toBe('Ctrl+Shift+Plus');
  });

  it('is null for a lone modifier or a key without a name', () => {
    for (const k of ['Control', 'Shift', 'Alt', 'Meta', 'Dead', 'Unidentified', 'AudioVolumeUp']) expect(chordOf(key(k))).toBeNull();
  });
});

describe('sameChord', () => {
  it('resolves CmdOrCtrl per platform', () => {
    expect(sameChord('CmdOrCtrl+K', 'Ctrl+K', 'linux')).toBe(true);
    expect(sameChord('CmdOrCtrl+K', 'Ctrl+K', 'darwin')).toBe(false);
    expect(sameChord('CmdOrCtrl+K', 'Cmd+K', 'darwin')).toBe(true);
    expect(sameChord('CmdOrCtrl+Shift+Z', 'Ctrl+Shift+Z', 'win32')).toBe(true);
    expect(sameChord('CmdOrCtrl+Z', 'Ctrl+Shift+Z', 'linux')).toBe(false);
    expect(sameChord('Down', 'Down', 'linux')).toBe(true);
  });

  it('is false for a malformed accelerator instead of throwing', () => {
    expect(sameChord('Hyper+K', 'Ctrl+K', 'linux')).toBe(false);
  });
});

it('tells command chords from typing', () => {
  expect(hasCommandModifier(key('z', { ctrlKey: true }))).toBe(true);
  expect(hasCommandModifier(key('z', { shiftKey: true }))).toBe(false);
});
