/**
 * The guided tour's state: shown at the first start until it is finished or skipped, then never
 * again by itself (the backend keeps `tourDismissed` in the settings file); Help › Show the Tour
 * starts it again.
 */
import { nextStep, TOUR_STEPS, type TourStep } from '../shell/tour-steps';
import type { Prefs } from './prefs.svelte';

function present(step: TourStep): boolean {
  return document.querySelector(step.anchor) !== null;
}

export class Tour {
  active = $state(false);
  index = $state(0);
  /** Started by the person (Help): the panel takes the focus then, not at the first start. */
  requested = $state(false);
  /** Ended in this session: not offered again even if saving the preference failed. */
  private ended = false;

  step = $derived(TOUR_STEPS[this.index]);
  isFirst = $derived(nextStep(this.index, -1, () => true) === null);

  constructor(private readonly prefs: Prefs) {}

  /** At the first start: once the preferences are known and while the tour was never dismissed. */
  offer(): void {
    if (this.active || this.ended || !this.prefs.loaded || this.prefs.value.tourDismissed) return;
    this.open(false);
  }

  start(): void {
    this.open(true);
  }

  private open(requested: boolean): void {
    this.index = nextStep(-1, 1, present) ?? 0;
    this.requested = requested;
    this.active = true;
  }

  next(): void {
    const i = nextStep(this.index, 1, present);
    if (i === null) void this.dismiss();
    else this.index = i;
  }

  back(): void {
    const i = nextStep(this.index, -1, present);
    if (i !== null) this.index = i;
  }

  /** Ends the tour (done or skipped): it will not start by itself again. */
  async dismiss(): Promise<void> {
    this.active = false;
    this.ended = true;
    if (!this.prefs.value.tourDismissed) await this.prefs.set({ tourDismissed: true });
  }
}
