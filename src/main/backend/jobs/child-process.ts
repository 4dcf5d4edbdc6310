/** Worker processes for plain Node hosts (browser host, CLI, tests): `child_process.fork`. */
import { fork } from 'node:child_process';
import type { FromWorker, ToWorker } from '../../../shared/jobs';
import type { WorkerProcess, WorkerSpawner } from './pool';

/** How much of a worker's stderr is kept to explain its exit. */
const STDERR_TAIL_CHARS = 8192;
const STDERR_DRAIN_MS = 200;

export interface ForkOptions {
  /** The worker entry: out/main/cluster-worker.js when built, src/main/worker/index.ts under tsx. */
  workerPath: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

export function childProcessSpawner(opts: ForkOptions): WorkerSpawner {
  return () => {
    const child = fork(opts.workerPath, [], {
      // 'advanced' serialization sends typed arrays as bytes, not as JSON objects.
      serialization: 'advanced',
      execArgv: opts.execArgv ?? [],
      env: { ...process.env, ...opts.env, CLUSTERSCOPE_WORKER: '1' },
      // stderr is passed through, and its end kept: V8 says there why a process aborted
      // ("JavaScript heap out of memory"), which the exit code alone does not tell.
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let exited = false;
    let stderrTail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.on('exit', () => (exited = true));
    // A send to a dead child raises asynchronously; the exit handler reports it.
    child.on('error', () => {});
    const proc: WorkerProcess = {
      get pid() {
        return child.pid;
      },
      send(msg: ToWorker) {
        if (exited || !child.connected) throw new Error('worker process is not running');
        child.send(msg);
      },
      onMessage(listener) {
        child.on('message', (m) => listener(m as FromWorker));
      },
      onExit(listener) {
        child.on('exit', (code, signal) => {
          // Wait for stderr to drain so that the tail holds V8's last words, but not for long:
          // a grandchild may hold the pipe open.
          let reported = false;
          const report = (): void => {
            if (reported) return;
            reported = true;
            listener(code, signal, stderrTail);
          };
          if (!child.stderr || child.stderr.readableEnded) return report();
          setTimeout(report, STDERR_DRAIN_MS).unref();
          child.stderr.once('end', report);
        });
      },
      kill() {
        if (!exited) child.kill('SIGKILL');
      },
    };
    return proc;
  };
}
