/**
 * The worker's link to its parent, whichever process kind it runs in: Electron's
 * utilityProcess (`process.parentPort`, messages wrapped in `{data}`) or `child_process.fork`
 * (`process.send` / `process.on('message')`).
 */
import type { FromWorker, ToWorker } from '../../shared/jobs';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface Port {
  send(msg: FromWorker): void;
  onMessage(listener: (msg: ToWorker) => void): void;
}

export function parentPort(): Port {
  const pp = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (pp) {
    return {
      send: (msg) => pp.postMessage(msg),
      onMessage: (l) => pp.on('message', (e) => l(e.data as ToWorker)),
    };
  }
  if (typeof process.send !== 'function') {
    throw new Error('the cluster worker must be started by Clusterscope (no parent process channel)');
  }
  return {
    send: (msg) => process.send!(msg),
    onMessage: (l) => process.on('message', (m) => l(m as ToWorker)),
  };
}
