/**
 * The backend object itself (what both hosts expose), with a real worker process and a real
 * project file: analyses as jobs saved with the project, and labels / decisions with undo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Backend } from '../../../src/main/backend/backend';
import { WorkerPool } from '../../../src/main/backend/jobs/pool';
import { childProcessSpawner } from '../../../src/main/backend/jobs/child-process';
import type { ApiEvents } from '../../../src/shared/api';
import type { DatasetSummary, JobInfo } from '../../../src/shared/dto';
import type { SweepResult } from '../../../src/core/cluster/sweep';

const ROOT = resolve(__dirname, '../../..');
let dir: string;
let backend: Backend;
let pool: WorkerPool;
const events: Array<{ name: keyof ApiEvents; payload: unknown }> = [];
const waiters: Array<(e: { name: keyof ApiEvents; payload: unknown }) => boolean> = [];

function emit<E extends keyof ApiEvents>(name: E, payload: ApiEvents[E]): void {
  const e = { name, payload };
  events.push(e);
  for (let i = waiters.length - 1; i >= 0; i--) if (waiters[i](e)) waiters.splice(i, 1);
}

function finished(jobId: string): Promise<JobInfo> {
  return new Promise((ok) => {
    const done = events.find((e) => (e.name === 'job:done' || e.name === 'job:failed') && (e.payload as JobInfo).id === jobId);
    if (done) return ok(done.payload as JobInfo);
    waiters.push((e) => {
      if ((e.name === 'job:done' || e.name === 'job:failed') && (e.payload as JobInfo).id === jobId) {
        ok(e.payload as JobInfo);
        return true;
      }
      return false;
    });
  });
}

let blobs: DatasetSummary;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-backend-'));
  pool = new WorkerPool(childProcessSpawner({ workerPath: join(ROOT, 'src/main/worker/index.ts'), execArgv: ['--import', 'tsx'] }), 1);
  backend = new Backend({ dataDir: dir, resourcesDir: join(ROOT, 'resources'), pool, emit, host: 'browser', version: 'test' });
  await backend.init();
  blobs = (await backend.data.list()).find((d) => d.source === 'sample:blobs')!;
});

afterAll(() => {
  backend?.dispose();
  pool?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('analyses', () => {
  it('runs a sweep over k as a job, saves it with the project and returns it with its typed arrays', async () => {
    const job = await backend.jobs.start({ kind: 'analysis', analysis: 'sweep', datasetId: blobs.id, params: { algorithm: 'kmeans', ks: [1, 2, 3, 4, 5, 6], params: { nInit: 3 }, randomState: 0 } });
    const end = await finished(job.id);
    expect(end.state, end.error ?? '').toBe('done');
    expect(end.analysisId).toEqual(expect.any(String));
    const { summary, result } = await backend.analyses.get(end.analysisId!);
    expect(summary).toMatchObject({ kind: 'sweep', datasetId: blobs.id, runId: null });
    const sweep = result as SweepResult;
    expect(sweep.points).toHaveLength(6);
    expect(sweep.best.silhouette?.k).toBeGreaterThanOrEqual(4);
    expect(await backend.analyses.list(blobs.id, { kind: 'sweep' })).toHaveLength(1);
    await backend.analyses.remove(end.analysisId!);
    expect(await backend.analyses.list(blobs.id)).toHaveLength(0);
  });

  it('refuses unknown analyses and a run of another dataset', async () => {
    await expect(backend.jobs.start({ kind: 'analysis', analysis: 'nope' as never, datasetId: blobs.id, params: {} })).rejects.toThrow(/unknown analysis/);
    const iris = (await backend.data.list()).find((d) => d.name === 'Iris')!;
    const [run] = await backend.runs.list(blobs.id);
    await expect(backend.jobs.start({ kind: 'analysis', analysis: 'sweep', datasetId: iris.id, runId: run.id, params: { algorithm: 'kmeans', ks: [2] } })).rejects.toThrow(/another dataset/);
  });

  it('reports a failed analysis with the reason and saves nothing', async () => {
    const job = await backend.jobs.start({ kind: 'analysis', analysis: 'sweep', datasetId: blobs.id, params: { algorithm: 'dbscan', ks: [2] } });
    const end = await finished(job.id);
    expect(end.state).toBe('failed');
    expect(end.error).toMatch(/needs an algorithm with a number of clusters/);
    expect(await backend.analyses.list(blobs.id)).toHaveLength(0);
  });
});

describe('labels and decisions', () => {
  it('saves labels as they are set, with undo and redo as one action each', async () => {
    const id = blobs.id;
    expect(await backend.annotations.labels(id)).toEqual([]);
    expect(await backend.annotations.setLabels(id, [{ row: 0, label: 'left' }, { row: 5, label: 'right' }])).toEqual({ changed: 2 });
    await backend.annotations.setLabels(id, [{ row: 0, label: 'top', source: 'hand' }, { row: 7, label: 'top', source: 'propagated' }]);
    expect(await backend.annotations.labels(id)).toEqual([
      { row: 0, label: 'top', source: 'hand' },
      { row: 5, label: 'right', source: 'hand' },
      { row: 7, label: 'top', source: 'propagated' },
    ]);
    expect(await backend.annotations.undo(id)).toEqual({ target: 'label', rows: [7, 0] });
    expect(await backend.annotations.labels(id)).toEqual([
      { row: 0, label: 'left', source: 'hand' },
      { row: 5, label: 'right', source: 'hand' },
    ]);
    expect(await backend.annotations.history(id)).toEqual({ canUndo: true, canRedo: true });
    await backend.annotations.redo(id);
    expect((await backend.annotations.labels(id)).map((l) => l.label)).toEqual(['top', 'right', 'top']);
    expect(events.some((e) => e.name === 'annotations:changed')).toBe(true);
    const csv = await backend.annotations.exportLabels(id);
    expect(csv).toBe('file,label,source\r\n0,top,hand\r\n5,right,hand\r\n7,top,propagated\r\n');
  });

  it('keeps decisions apart from labels and undoes them in order', async () => {
    const id = blobs.id;
    await backend.annotations.setDecisions(id, [{ row: 3, decision: 'confirmed', detector: 'gmm', score: 12.5 }]);
    await backend.annotations.setDecisions(id, [{ row: 4, decision: 'dismissed', detector: 'gmm', score: 3 }]);
    expect(await backend.annotations.decisions(id)).toEqual([
      { row: 3, decision: 'confirmed', detector: 'gmm', score: 12.5 },
      { row: 4, decision: 'dismissed', detector: 'gmm', score: 3 },
    ]);
    expect(await backend.annotations.undo(id)).toEqual({ target: 'decision', rows: [4] });
    expect(await backend.annotations.exportDecisions(id)).toBe('file,decision,detector,score\r\n3,confirmed,gmm,12.5\r\n');
  });

  it('refuses rows outside the dataset and empty labels without writing anything', async () => {
    const id = blobs.id;
    const before = await backend.annotations.labels(id);
    await expect(backend.annotations.setLabels(id, [{ row: 1, label: 'ok' }, { row: blobs.nSamples, label: 'x' }])).rejects.toThrow(/outside/);
    await expect(backend.annotations.setLabels(id, [{ row: 1, label: '   ' }])).rejects.toThrow(/non-empty/);
    expect(await backend.annotations.labels(id)).toEqual(before);
  });

  it('keeps labels and their history across closing and reopening the project', async () => {
    const project = (await backend.project.saveAs('labelled'))!;
    await backend.project.close();
    await backend.project.open(project.path);
    expect((await backend.annotations.labels(blobs.id)).map((l) => l.row)).toEqual([0, 5, 7]);
    expect(await backend.annotations.undo(blobs.id)).toEqual({ target: 'decision', rows: [3] });
    expect(await backend.annotations.decisions(blobs.id)).toEqual([]);
  });
});
