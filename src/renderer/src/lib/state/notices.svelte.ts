/** Errors and notes for the status bar: every failure the person should know about lands here. */
export interface Notice {
  id: number;
  kind: 'error' | 'info';
  message: string;
  /** When it happened, as epoch milliseconds. */
  at: number;
}

/** At most this many notices are kept; the oldest go first. */
const LIMIT = 20;

export class Notices {
  items = $state<Notice[]>([]);
  private nextId = 1;

  error(message: string): void {
    this.push('error', message);
  }

  info(message: string): void {
    this.push('info', message);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  clear(): void {
    this.items = [];
  }

  private push(kind: Notice['kind'], message: string): void {
    this.items = [...this.items.slice(-(LIMIT - 1)), { id: this.nextId++, kind, message, at: Date.now() }];
  }
}
