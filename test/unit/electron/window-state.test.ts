import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { debounce, parseWindowState, placeWindow, readWindowState, writeWindowState, type Rect, type WindowState } from '../../../src/main/electron/window-state';

const SIZES = { width: 1360, height: 880, minWidth: 900, minHeight: 600 };
/** A 1920×1080 screen with a 40 px taskbar at the bottom. */
const laptop: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
/** A second monitor to the left of it, at negative coordinates. */
const left: Rect = { x: -2560, y: -200, width: 2560, height: 1400 };

const saved = (x: number, y: number, width: number, height: number, maximized = false): WindowState => ({ bounds: { x, y, width, height }, maximized });

function inside(r: Rect, area: Rect): boolean {
  return r.x >= area.x && r.y >= area.y && r.x + r.width <= area.x + area.width && r.y + r.height <= area.y + area.height;
}

describe('window state', () => {
  describe('parsing a saved state', () => {
    it('accepts bounds and a maximized flag', () => {
      expect(parseWindowState({ bounds: { x: -10, y: 20, width: 1000, height: 700 }, maximized: true })).toEqual(saved(-10, 20, 1000, 700, true));
      expect(parseWindowState({ bounds: { x: 0, y: 0, width: 1000, height: 700 } })?.maximized).toBe(false);
    });

    it('rejects anything else, so a damaged file means the defaults', () => {
      for (const raw of [null, 42, 'x', {}, { bounds: null }, { bounds: { x: 0, y: 0, width: 0, height: 700 } }, { bounds: { x: NaN, y: 0, width: 10, height: 10 } }, { bounds: { x: '0', y: 0, width: 10, height: 10 } }, { bounds: { x: 0, y: 0, width: -5, height: 10 } }]) {
        expect(parseWindowState(raw), JSON.stringify(raw)).toBeNull();
      }
    });
  });

  describe('placing the window', () => {
    it('opens at the default size, centred on the primary display, the first time', () => {
      expect(placeWindow(null, [laptop], laptop, SIZES)).toEqual(saved(280, 80, 1360, 880));
    });

    it('shrinks the default size to a small primary display', () => {
      const small: Rect = { x: 0, y: 0, width: 1280, height: 760 };
      const p = placeWindow(null, [small], small, SIZES);
      expect(p.bounds).toEqual({ x: 0, y: 0, width: 1280, height: 760 });
    });

    it('reopens where it was when that place is still on a display', () => {
      expect(placeWindow(saved(100, 50, 1200, 800, true), [laptop], laptop, SIZES)).toEqual(saved(100, 50, 1200, 800, true));
    });

    it('moves a window hanging off an edge back inside, keeping its size', () => {
      expect(placeWindow(saved(1500, 700, 1200, 800), [laptop], laptop, SIZES).bounds).toEqual({ x: 720, y: 240, width: 1200, height: 800 });
      expect(placeWindow(saved(-300, -50, 1200, 800), [laptop], laptop, SIZES).bounds).toEqual({ x: 0, y: 0, width: 1200, height: 800 });
    });

    it('centres on the primary display a window whose monitor has gone', () => {
      const p = placeWindow(saved(-2400, 100, 1500, 900, true), [laptop], laptop, SIZES);
      expect(p).toEqual(saved(210, 70, 1500, 900, true));
    });

    it('keeps a window on the monitor that showed most of it, at negative coordinates too', () => {
      const p = placeWindow(saved(-1000, 100, 1500, 900), [laptop, left], laptop, SIZES);
      expect(p.bounds).toEqual({ x: -1500, y: 100, width: 1500, height: 900 });
      expect(inside(p.bounds, left)).toBe(true);
    });

    it('shrinks a window larger than its display, never below the minimum size the display allows', () => {
      expect(placeWindow(saved(0, 0, 3000, 2000), [laptop], laptop, SIZES).bounds).toEqual(laptop);
      expect(placeWindow(saved(10, 10, 300, 200), [laptop], laptop, SIZES).bounds).toEqual({ x: 10, y: 10, width: 900, height: 600 });
      const tiny: Rect = { x: 0, y: 0, width: 800, height: 500 };
      expect(placeWindow(saved(10, 10, 1000, 700), [tiny], tiny, SIZES).bounds).toEqual(tiny);
    });

    it('always ends up entirely inside one display’s work area', () => {
      const rect = (minSide: number): fc.Arbitrary<Rect> =>
        fc.record({
          x: fc.integer({ min: -5000, max: 5000 }),
          y: fc.integer({ min: -3000, max: 3000 }),
          width: fc.integer({ min: minSide, max: 4000 }),
          height: fc.integer({ min: minSide, max: 3000 }),
        });
      fc.assert(
        fc.property(fc.option(rect(1)), fc.boolean(), fc.array(rect(300), { minLength: 1, maxLength: 4 }), (bounds, maximized, areas) => {
          const p = placeWindow(bounds ? { bounds, maximized } : null, areas, areas[0], SIZES);
          expect(areas.some((a) => inside(p.bounds, a))).toBe(true);
          expect(p.maximized).toBe(bounds ? maximized : false);
          const home = areas.find((a) => inside(p.bounds, a))!;
          expect(p.bounds.width).toBeGreaterThanOrEqual(Math.min(SIZES.minWidth, home.width));
          expect(p.bounds.height).toBeGreaterThanOrEqual(Math.min(SIZES.minHeight, home.height));
        }),
        { numRuns: 300 },
      );
    });
  });

  describe('the state file', () => {
    let dir: string | null = null;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    });

    it('round-trips, creating the folder, and leaves no temporary file behind', () => {
      dir = mkdtempSync(join(tmpdir(), 'cs-window-'));
      const file = join(dir, 'userData', 'window-state.json');
      writeWindowState(file, saved(-20, 30, 1000, 700, true));
      expect(readWindowState(file)).toEqual(saved(-20, 30, 1000, 700, true));
      expect(readdirSync(join(dir, 'userData'))).toEqual(['window-state.json']);
    });

    it('reads a missing or damaged file as no state', () => {
      dir = mkdtempSync(join(tmpdir(), 'cs-window-'));
      expect(readWindowState(join(dir, 'none.json'))).toBeNull();
      writeFileSync(join(dir, 'bad.json'), '{"bounds": {"x": 1,');
      expect(readWindowState(join(dir, 'bad.json'))).toBeNull();
    });
  });

  describe('debounced saving', () => {
    /** Timers run by hand: `tick()` fires what is due. */
    function manualTimers(): { timers: Pick<typeof globalThis, 'setTimeout' | 'clearTimeout'>; tick(): void; pending(): number } {
      const queue = new Map<number, () => void>();
      let next = 1;
      return {
        timers: {
          setTimeout: ((fn: () => void) => {
            const id = next++;
            queue.set(id, fn);
            return id;
          }) as unknown as typeof setTimeout,
          clearTimeout: ((id: number) => queue.delete(id)) as unknown as typeof clearTimeout,
        },
        tick() {
          const due = [...queue.values()];
          queue.clear();
          for (const fn of due) fn();
        },
        pending: () => queue.size,
      };
    }

    it('writes once after a burst of moves', () => {
      const t = manualTimers();
      let writes = 0;
      const d = debounce(() => writes++, 500, t.timers);
      for (let i = 0; i < 50; i++) d.schedule();
      expect(t.pending()).toBe(1);
      expect(writes).toBe(0);
      t.tick();
      expect(writes).toBe(1);
    });

    it('writes a pending state at once on flush (window closing), and nothing when none is pending', () => {
      const t = manualTimers();
      let writes = 0;
      const d = debounce(() => writes++, 500, t.timers);
      d.flush();
      expect(writes).toBe(0);
      d.schedule();
      d.flush();
      expect(writes).toBe(1);
      expect(t.pending()).toBe(0);
      d.schedule();
      d.cancel();
      t.tick();
      expect(writes).toBe(1);
    });
  });
});
