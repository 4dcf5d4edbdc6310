import { describe, expect, it } from 'vitest';
import { acceleratorLabel, COMMANDS, commandInfo, isCommandId, normalizeAccelerator } from '../../../src/shared/commands';

describe('shared command list', () => {
  it('has unique ids and titles', () => {
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    expect(new Set(COMMANDS.map((c) => c.title)).size).toBe(COMMANDS.length);
  });

  it('knows its own ids and nothing else', () => {
    expect(isCommandId('project.new')).toBe(true);
    expect(isCommandId('project.delete')).toBe(false);
    expect(isCommandId(42)).toBe(false);
    expect(commandInfo('view.commandPalette').accelerator).toBe('CmdOrCtrl+K');
  });

  it('has accelerators that parse, and no two alike on any platform', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      const seen = new Map<string, string>();
      for (const c of COMMANDS) {
        if (!('accelerator' in c)) continue;
        const key = normalizeAccelerator(c.accelerator, platform);
        expect(seen.get(key), `${c.id} and ${seen.get(key)} on ${platform}`).toBeUndefined();
        seen.set(key, c.id);
      }
    }
  });

  describe('accelerators', () => {
    it('resolve CmdOrCtrl per platform and compare regardless of spelling and order', () => {
      expect(normalizeAccelerator('CmdOrCtrl+Shift+o', 'linux')).toBe('Ctrl+Shift+O');
      expect(normalizeAccelerator('Shift+CommandOrControl+O', 'win32')).toBe('Ctrl+Shift+O');
      expect(normalizeAccelerator('CmdOrCtrl+Shift+O', 'darwin')).toBe('Shift+Cmd+O');
      expect(normalizeAccelerator('Control+K', 'darwin')).toBe('Ctrl+K');
      expect(normalizeAccelerator('CmdOrCtrl+Plus', 'linux')).toBe(normalizeAccelerator('Ctrl++', 'linux'));
      expect(normalizeAccelerator('Alt+F4', 'win32')).toBe('Alt+F4');
    });

    it('reject what is not an accelerator', () => {
      expect(() => normalizeAccelerator('Ctrl+', 'linux')).toThrow(/no key/);
      expect(() => normalizeAccelerator('Hyper+K', 'linux')).toThrow(/Hyper/);
    });

    it('read as each platform writes them', () => {
      expect(acceleratorLabel('CmdOrCtrl+Shift+O', 'darwin')).toBe('⇧⌘O');
      expect(acceleratorLabel('CmdOrCtrl+Shift+O', 'linux')).toBe('Ctrl+Shift+O');
      expect(acceleratorLabel('CmdOrCtrl+K', 'win32')).toBe('Ctrl+K');
      expect(acceleratorLabel('Alt+CmdOrCtrl+I', 'darwin')).toBe('⌥⌘I');
      expect(acceleratorLabel('CmdOrCtrl+Plus', 'darwin')).toBe('⌘+');
    });
  });
});
