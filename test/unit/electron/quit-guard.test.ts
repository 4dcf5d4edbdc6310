import { describe, expect, it } from 'vitest';
import { pendingSaveFailure, quitChoice, quitPrompt } from '../../../src/main/electron/quit-guard';

describe('quitting with autosaved projects', () => {
  it('asks nothing of a backend that cannot report save failures, or reports none', () => {
    expect(pendingSaveFailure({})).toBeNull();
    expect(pendingSaveFailure({ lastSaveFailure: 'not a function' })).toBeNull();
    expect(pendingSaveFailure({ lastSaveFailure: () => null })).toBeNull();
  });

  it('warns when the backend reports that its last save failed', () => {
    const failure = { message: 'SQLITE_FULL: database or disk is full', path: '/home/ana/faces.clusterscope' };
    expect(pendingSaveFailure({ lastSaveFailure: () => failure })).toEqual(failure);
    expect(pendingSaveFailure({ lastSaveFailure: () => ({ message: 'disk full' }) })).toEqual({ message: 'disk full', path: null });
  });

  it('ignores a malformed report rather than prompting with nothing to say', () => {
    for (const bad of [{}, { message: '' }, { message: 3 }, 'disk full']) expect(pendingSaveFailure({ lastSaveFailure: () => bad })).toBeNull();
  });

  it('offers Save As, Quit Anyway and Cancel, with Save As the default and Cancel on Escape', () => {
    const p = quitPrompt({ message: 'disk full', path: '/p/x.clusterscope' });
    expect(p.buttons).toEqual(['Save As…', 'Quit Anyway', 'Cancel']);
    expect(quitChoice(p.defaultId)).toBe('save-as');
    expect(quitChoice(p.cancelId)).toBe('cancel');
    expect(quitChoice(p.buttons.indexOf('Quit Anyway'))).toBe('quit');
    expect(p.detail).toContain('disk full');
    expect(p.detail).toContain('/p/x.clusterscope');
  });

  it('treats an unknown answer as Cancel, the choice that loses nothing', () => {
    expect(quitChoice(-1)).toBe('cancel');
    expect(quitChoice(7)).toBe('cancel');
  });
});
