/** Worker processes for plain Node hosts (browser host, CLI, tests): `child_process.fork`. */
import { fork } from 'node:child_process';
import type { FromWorker, ToWorker } from '../../../shared/jobs';
import type { WorkerProcess, WorkerSpawner } from './pool';

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
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let exited = false;
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
        child.on('exit', (code, signal) => listener(code, signal));
      },
      kill() {
        if (!exited) child.kill('SIGKILL');
      },
    };
    return proc;
  };
}
