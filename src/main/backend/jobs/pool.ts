/**
 * A pool of worker processes. One interface, two process kinds: `child_process.fork` in the
 * browser host, tests and the CLI; Electron's `utilityProcess` in the desktop app (its spawner
 * lives in src/main/electron). Cancel kills the process and starts a fresh one; a process that
 * dies or goes silent fails its job with the reason, and is replaced.
 */
import type { FromWorker, SerializedError, ToWorker, WorkerResult, WorkerTask } from '../../../shared/jobs';
import { packTask, removeFiles } from './transfer';

export interface WorkerProcess {
  readonly pid: number | undefined;
  send(msg: ToWorker): void;
  onMessage(listener: (msg: FromWorker) => void): void;
  /** `output`: the end of what the process wrote to stderr, when the spawner keeps it. */
  onExit(listener: (code: number | null, signal: string | null, output?: string) => void): void;
  kill(): void;
}

export type WorkerSpawner = () => WorkerProcess;

/** Why a job did not produce a result. */
export class JobError extends Error {
  override name = 'JobError';
  constructor(
    readonly reason: 'cancelled' | 'failed' | 'crashed' | 'timeout',
    message: string,
    override readonly cause?: SerializedError,
  ) {
    super(message);
  }
}

export interface PoolOptions {
  /** Kill a busy worker that has sent nothing (no progress, no heartbeat) for this long. */
  silenceTimeoutMs?: number;
}

interface Pending {
  jobId: string;
  task: WorkerTask;
  onProgress: (fraction: number, message: string | undefined) => void;
  resolve: (r: WorkerResult) => void;
  reject: (e: JobError) => void;
  /** Files holding the task's large arrays while it runs (see transfer.ts). */
  files: string[];
}

interface Slot {
  proc: WorkerProcess;
  job: Pending | null;
  lastHeard: number;
  /** Set when we kill the process ourselves, so its exit is not reported as a crash. */
  retiring: boolean;
  /** The process has said 'ready': until then its silence is start-up, not a hang. */
  ready: boolean;
  /** Surplus after the pool shrank: it finishes its job, then stops instead of taking another. */
  draining: boolean;
}

/**
 * How long a worker may take to start before the watchdog counts its silence (a busy machine
 * can take seconds to load a worker; a job handed to it waits in its message queue meanwhile).
 */
export const STARTUP_GRACE_MS = 30_000;

/** Size for this machine: one core stays free for the window (at least one worker). */
export function defaultPoolSize(cores: number): number {
  return Math.max(1, cores - 1);
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly watchdog: ReturnType<typeof setInterval> | null;
  private disposed = false;
  private target: number;

  constructor(
    private readonly spawn: WorkerSpawner,
    size: number,
    private readonly opts: PoolOptions = {},
  ) {
    if (!(size >= 1)) throw new Error(`worker pool size must be at least 1, got ${size}`);
    this.target = size;
    for (let i = 0; i < size; i++) this.slots.push(this.startSlot());
    const timeout = opts.silenceTimeoutMs ?? 0;
    this.watchdog = timeout > 0 ? setInterval(() => this.checkSilence(timeout), Math.min(1000, timeout / 4)) : null;
    this.watchdog?.unref?.();
  }

  /** The number of workers the pool runs (after a shrink, once the surplus jobs have ended). */
  get size(): number {
    return this.target;
  }

  /**
   * Grows or shrinks the pool to `n` workers. New workers start at once and take queued jobs;
   * surplus idle workers stop at once and busy ones when their job ends, so no running job is
   * cut short by a change of preference.
   */
  resize(n: number): void {
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`worker pool size must be a whole number of at least 1, got ${n}`);
    if (this.disposed) return;
    this.target = n;
    const live = this.slots.filter((s) => !s.draining);
    // Growing first takes back workers that were still finishing a job after an earlier shrink.
    for (const slot of this.slots) {
      if (live.length >= n) break;
      if (slot.draining) {
        slot.draining = false;
        live.push(slot);
      }
    }
    while (live.length < n) {
      const slot = this.startSlot();
      this.slots.push(slot);
      live.push(slot);
    }
    // Shrinking stops idle workers first, then lets busy ones finish.
    let surplus = live.length - n;
    for (const slot of [...live].sort((a, b) => Number(!!a.job) - Number(!!b.job))) {
      if (surplus <= 0) break;
      surplus--;
      if (slot.job) slot.draining = true;
      else this.retire(slot);
    }
    this.dispatch();
  }

  private startSlot(): Slot {
    const proc = this.spawn();
    const slot: Slot = { proc, job: null, lastHeard: Date.now(), retiring: false, ready: false, draining: false };
    proc.onMessage((msg) => this.onMessage(slot, msg));
    proc.onExit((code, signal, output) => this.onExit(slot, code, signal, output));
    return slot;
  }

  /** Runs a task on the first free worker; queued when all are busy. */
  run(jobId: string, task: WorkerTask, onProgress: Pending['onProgress'] = () => {}): Promise<WorkerResult> {
    if (this.disposed) return Promise.reject(new JobError('failed', 'the worker pool has been shut down'));
    return new Promise<WorkerResult>((resolve, reject) => {
      const settle = <A>(f: (a: A) => void) => (a: A): void => {
        removeFiles(pending.files);
        pending.files = [];
        f(a);
      };
      const pending: Pending = { jobId, task, onProgress, resolve: settle(resolve), reject: settle(reject), files: [] };
      this.queue.push(pending);
      this.dispatch();
    });
  }

  /** Cancels a queued or running job. Returns false when the pool does not know it. */
  cancel(jobId: string): boolean {
    const q = this.queue.findIndex((p) => p.jobId === jobId);
    if (q >= 0) {
      const [p] = this.queue.splice(q, 1);
      p.reject(new JobError('cancelled', 'cancelled'));
      return true;
    }
    const slot = this.slots.find((s) => s.job?.jobId === jobId);
    if (!slot) return false;
    const job = slot.job!;
    this.replace(slot);
    job.reject(new JobError('cancelled', 'cancelled'));
    return true;
  }

  get busyCount(): number {
    return this.slots.filter((s) => s.job).length;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  /** Process ids of the live workers (tests use them to inflict crashes). */
  pids(): Array<number | undefined> {
    return this.slots.map((s) => s.proc.pid);
  }

  /** The pid of the worker running `jobId`. */
  pidOf(jobId: string): number | undefined {
    return this.slots.find((s) => s.job?.jobId === jobId)?.proc.pid;
  }

  dispose(): void {
    this.disposed = true;
    if (this.watchdog) clearInterval(this.watchdog);
    for (const p of this.queue.splice(0)) p.reject(new JobError('cancelled', 'the application is shutting down'));
    for (const s of this.slots) {
      s.retiring = true;
      s.job?.reject(new JobError('cancelled', 'the application is shutting down'));
      s.job = null;
      s.proc.kill();
    }
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.job || slot.retiring || slot.draining) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.lastHeard = Date.now();
      try {
        // Large arrays travel as files: one huge message through the channel is slow.
        const packed = packTask(job.task);
        job.files = packed.files;
        slot.proc.send({ type: 'run', jobId: job.jobId, task: packed.task });
      } catch (e) {
        slot.job = null;
        this.replace(slot);
        job.reject(new JobError('crashed', `could not send the job to a worker: ${(e as Error).message}`));
      }
    }
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    slot.lastHeard = Date.now();
    if (msg.type === 'ready') slot.ready = true;
    const job = slot.job;
    if (msg.type === 'ready' || msg.type === 'heartbeat') return;
    if (!job || msg.jobId !== job.jobId) return; // a late message from a cancelled job
    switch (msg.type) {
      case 'progress':
        job.onProgress(msg.fraction, msg.message);
        break;
      case 'result':
        slot.job = null;
        if (slot.draining) this.retire(slot);
        job.resolve(msg.result);
        this.dispatch();
        break;
      case 'error':
        slot.job = null;
        if (slot.draining) this.retire(slot);
        job.reject(new JobError('failed', msg.error.message, msg.error));
        this.dispatch();
        break;
    }
  }

  private onExit(slot: Slot, code: number | null, signal: string | null, output?: string): void {
    const index = this.slots.indexOf(slot);
    if (slot.retiring || this.disposed || index < 0) return;
    const job = slot.job;
    slot.job = null;
    if (slot.draining) this.slots.splice(index, 1);
    else this.slots[index] = this.startSlot();
    if (job) job.reject(new JobError('crashed', describeExit(code, signal, output)));
    this.dispatch();
  }

  /** Kills a slot's process (cancel, watchdog) and puts a fresh one in its place (none for a surplus one). */
  private replace(slot: Slot): void {
    if (slot.draining) {
      slot.job = null;
      this.retire(slot);
      this.dispatch();
      return;
    }
    const index = this.slots.indexOf(slot);
    slot.retiring = true;
    slot.job = null;
    slot.proc.kill();
    if (index >= 0 && !this.disposed) this.slots[index] = this.startSlot();
    this.dispatch();
  }

  /** Stops a worker the pool no longer needs and forgets it. */
  private retire(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    slot.retiring = true;
    slot.proc.kill();
  }

  private checkSilence(timeoutMs: number): void {
    const t = Date.now();
    for (const slot of [...this.slots]) {
      if (slot.job && t - slot.lastHeard > (slot.ready ? timeoutMs : Math.max(timeoutMs, STARTUP_GRACE_MS))) {
        const job = slot.job;
        this.replace(slot);
        job.reject(new JobError('timeout', `the worker stopped responding for ${formatSeconds(t - slot.lastHeard)} and was stopped`));
      }
    }
  }
}

/** V8's last words when a heap limit is hit (Node, Electron). */
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit|Allocation failed - process out of memory/;

/**
 * Why a worker process ended, for a person: `output` is the end of its stderr, which tells an
 * out-of-memory abort (V8 prints it, then aborts with SIGABRT) from any other end.
 */
export function describeExit(code: number | null, signal: string | null, output = ''): string {
  if (OUT_OF_MEMORY.test(output)) {
    return 'the worker process ran out of memory (JavaScript heap out of memory): the data or the chosen parameters need more memory than a worker has';
  }
  if (signal === 'SIGKILL') return 'the worker process was killed (SIGKILL), possibly because it ran out of memory';
  if (signal === 'SIGABRT') return 'the worker process aborted (SIGABRT), possibly because it ran out of memory';
  if (signal) return `the worker process was terminated by ${signal}`;
  if (code === 134 || code === 3221225477) return `the worker process ran out of memory or aborted (exit code ${code})`;
  return `the worker process exited unexpectedly (exit code ${code})`;
}

function formatSeconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
