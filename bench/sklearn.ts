/**
 * scikit-learn in the same run: a long-lived `/usr/bin/python3 bench/sklearn_bench.py` per thread
 * setting, spoken to one JSON line at a time (so scikit-learn and NumPy are imported once, and the
 * data loaded once per process).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BIG_DIR, REFERENCE } from './data';

export const PYTHON = '/usr/bin/python3';

export type Threads = 'single' | 'default';

export interface PyAnswer {
  ok: boolean;
  error?: string;
  [key: string]: unknown;
}

export class SklearnProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<(a: PyAnswer) => void> = [];
  private stderr = '';

  constructor(readonly threads: Threads) {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (threads === 'single') {
      env.OMP_NUM_THREADS = '1';
      env.OPENBLAS_NUM_THREADS = '1';
      env.MKL_NUM_THREADS = '1';
    } else {
      delete env.OMP_NUM_THREADS;
      delete env.OPENBLAS_NUM_THREADS;
      delete env.MKL_NUM_THREADS;
    }
    this.child = spawn(PYTHON, [join(import.meta.dirname, 'sklearn_bench.py'), REFERENCE, BIG_DIR], { env, stdio: 'pipe' });
    this.child.stderr.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-4000)));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next(JSON.parse(line) as PyAnswer);
    });
    this.child.on('exit', (code) => {
      for (const w of this.waiting.splice(0)) w({ ok: false, error: `python exited (${code}): ${this.stderr.trim().split('\n').pop()}` });
    });
  }

  request(req: Record<string, unknown>): Promise<PyAnswer> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.child.stdin.write(JSON.stringify(req) + '\n');
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

/** Whether scikit-learn can be asked at all (the Debian package is what the reference numbers came from). */
export function sklearnAvailable(): boolean {
  return existsSync(PYTHON);
}
