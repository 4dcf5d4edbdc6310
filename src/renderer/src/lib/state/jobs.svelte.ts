/** The backend's jobs as the renderer last heard of them, kept current by the job events. */
import type { ApiEvents } from '../../../../shared/api';
import type { JobInfo } from '../../../../shared/dto';

export function isActive(job: JobInfo | null | undefined): boolean {
  return !!job && (job.state === 'queued' || job.state === 'running');
}

export class Jobs {
  byId = $state<Record<string, JobInfo>>({});
  active = $derived(Object.values(this.byId).filter(isActive));

  get(id: string | null | undefined): JobInfo | null {
    return id ? (this.byId[id] ?? null) : null;
  }

  upsert(job: JobInfo): void {
    // A progress event may have overtaken the "started" one; keep the furthest progress.
    const known = this.byId[job.id];
    const progress = known && job.state === 'running' ? Math.max(known.progress, job.progress) : job.progress;
    this.byId[job.id] = { ...job, progress };
  }

  progress(p: ApiEvents['job:progress']): void {
    const job = this.byId[p.jobId];
    if (!job || !isActive(job)) return;
    job.state = 'running';
    job.progress = p.progress;
    job.message = p.message;
  }
}
