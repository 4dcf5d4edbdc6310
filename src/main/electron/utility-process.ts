/** Worker processes for the desktop app: Electron's `utilityProcess`. */
import { utilityProcess } from 'electron';
import type { FromWorker, ToWorker } from '../../shared/jobs';
import type { WorkerProcess, WorkerSpawner } from '../backend/jobs/pool';

export function utilityProcessSpawner(workerPath: string): WorkerSpawner {
  return () => {
    const child = utilityProcess.fork(workerPath, [], { serviceName: 'Clusterscope worker', stdio: 'inherit' });
    let exited = false;
    child.on('exit', () => (exited = true));
    const proc: WorkerProcess = {
      get pid() {
        return child.pid;
      },
      send(msg: ToWorker) {
        if (exited) throw new Error('worker process is not running');
        child.postMessage(msg);
      },
      onMessage(listener) {
        child.on('message', (m: unknown) => listener(m as FromWorker));
      },
      onExit(listener) {
        // utilityProcess reports only a code; a kill shows as a non-zero code.
        child.on('exit', (code: number) => listener(code, null));
      },
      kill() {
        if (!exited) child.kill();
      },
    };
    return proc;
  };
}
