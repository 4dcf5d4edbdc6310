/**
 * The worker process: receives one task at a time, runs it with the core, reports progress
 * (throttled) and the result. A throw becomes an error message; anything worse ends the process
 * and the pool reports the exit.
 */
import type { SerializedError } from '../../shared/jobs';
import { parentPort } from './port';
import { runTask } from './tasks';
import { unpackTask } from './transfer';

const port = parentPort();
const PROGRESS_INTERVAL_MS = 50;

port.onMessage(async (msg) => {
  if (msg.type !== 'run') return;
  const { jobId } = msg;
  let last = 0;
  const onProgress = (fraction: number, message?: string): void => {
    const t = Date.now();
    if (t - last < PROGRESS_INTERVAL_MS && fraction < 1) return;
    last = t;
    port.send({ type: 'progress', jobId, fraction: Math.min(1, Math.max(0, fraction)), message });
  };
  try {
    const result = await runTask(unpackTask(msg.task), onProgress);
    port.send({ type: 'result', jobId, result });
  } catch (e) {
    port.send({ type: 'error', jobId, error: serializeError(e) });
  }
});

port.send({ type: 'ready' });

function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}
