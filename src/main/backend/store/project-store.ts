/**
 * One project = one SQLite file (`.clusterscope`). The store is the only writer (the main
 * process owns it; workers never touch SQLite). WAL with synchronous=FULL: a change is on disk
 * when its call returns, and a crash at any point leaves the last committed state.
 * The connection runs in EXCLUSIVE locking mode, so a second process that opens the same file
 * is refused with 'locked' instead of writing beside us.
 */
import { constants, existsSync, accessSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Matrix } from '../../../core/math/matrix';
import type { DatasetSummary, RunDetail, RunStatus, RunSummary } from '../../../shared/dto';
import { APPLICATION_ID, MIGRATIONS } from './migrations';
import { ProjectError } from './errors';
import { SQLITE_MAGIC, effectiveHeader } from './header';

export const PROJECT_EXTENSION = '.clusterscope';

export interface NewDataset {
  name: string;
  source: string;
  X: Matrix;
  featureNames: string[];
  labelName: string | null;
  /** Distinct label values, in code order. */
  labelClasses: string[] | null;
  /** Label code per sample (index into labelClasses). */
  labels: Int32Array | null;
}

export interface NewRun {
  datasetId: string;
  algorithm: string;
  params: Record<string, unknown>;
  randomState: number | null;
  status: RunStatus;
  durationMs: number;
  nClusters: number;
  metrics: Record<string, number>;
  labels: Int32Array | null;
  centers: Matrix | null;
  model: unknown;
  error: string | null;
}

export interface OpenOptions {
  /** Create the file when it does not exist (otherwise 'not-found'). */
  create?: boolean;
  /** Open without writing anything; also chosen automatically for a read-only file. */
  readOnly?: boolean;
  /**
   * @internal Tests only: the migration list to apply instead of the shipped one (a
   * reliability test kills a process in the middle of a long extra migration).
   */
  migrations?: readonly string[];
}

/**
 * Reads the SQLite header without opening the database (the main file's, or page 1's newest
 * committed copy in the WAL beside it), so that a file we refuse is never touched: not a single
 * byte changes (no WAL switch, no journal, no lock, no checkpoint on close).
 */
function inspectHeader(path: string): { empty: boolean; applicationId: number; userVersion: number } {
  const { bytes } = effectiveHeader(path);
  if (bytes === null) return { empty: true, applicationId: 0, userVersion: 0 };
  if (bytes.length < 100 || bytes.toString('latin1', 0, 16) !== SQLITE_MAGIC) {
    if (bytes.every((b) => b === 0)) {
      throw new ProjectError('damaged', `${basename(path)} is damaged: its header is blank, so it cannot be read as a project`, path);
    }
    // The start of an SQLite header cut short: a database that lost its end, not a stranger.
    if (bytes.length < 100 && bytes.toString('latin1', 0, Math.min(16, bytes.length)) === SQLITE_MAGIC.slice(0, Math.min(16, bytes.length))) {
      throw new ProjectError('damaged', `${basename(path)} is damaged: it ends inside its header (${bytes.length} bytes)`, path);
    }
    throw new ProjectError('not-a-project', `${basename(path)} is not a Clusterscope project (not an SQLite database)`, path);
  }
  return { empty: false, applicationId: bytes.readUInt32BE(68), userVersion: bytes.readUInt32BE(60) };
}

/**
 * Projects open in this process, by device and inode. A second open of the same file in this
 * process must not even read its header: POSIX record locks belong to the process, and closing
 * ANY file descriptor on the file releases all of them, so a plain read of an open project here
 * would silently drop the exclusive lock that keeps other instances out.
 */
const openInThisProcess = new Set<string>();

function fileKey(path: string): string {
  const s = statSync(path);
  return `${s.dev}:${s.ino}`;
}

function isWritable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * A read-only connection to a WAL database needs its -shm and -wal files, which SQLite creates
 * beside the project; in a folder nobody may write to (a read-only mount, a share, a CD) that
 * fails. The project is then read from a copy in memory: page 1 is marked as a rollback-journal
 * database in the copy (SQLite's in-memory databases have no WAL), the file is not touched.
 * A WAL with committed changes beside it cannot be merged that way, so such a file is refused.
 */
function needsSnapshot(path: string): boolean {
  const folderWritable = isWritable(dirname(path));
  return !folderWritable && !(existsSync(`${path}-wal`) && existsSync(`${path}-shm`));
}

function openSnapshot(path: string): Database.Database {
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new ProjectError(
      'read-only',
      `${basename(path)} has changes that were never merged into it (${basename(wal)}) and its folder is read-only; copy both files to a writable folder to open it`,
      path,
    );
  }
  const bytes = readFileSync(path);
  // Bytes 18 and 19: the file format write/read versions, 2 for WAL, 1 for rollback journal.
  if (bytes.length >= 20 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
  return new Database(bytes, { readonly: true });
}

/** The first line of SQLite's integrity report: the rest is for developers, not for a message. */
function firstProblem(report: unknown): string {
  const lines = String(report).split('\n').filter((l) => l.trim() && !l.startsWith('***'));
  const more = lines.length > 1 ? ` and ${lines.length - 1} more problem${lines.length > 2 ? 's' : ''}` : '';
  return `${lines[0] ?? String(report)}${more}`;
}

/** Maps SQLite's error codes to the reasons a person can act on. */
export function translateSqliteError(e: unknown, path: string): Error {
  const code = (e as { code?: string }).code ?? '';
  const name = basename(path);
  if (e instanceof ProjectError) return e;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code.startsWith('SQLITE_BUSY')) {
    return new ProjectError('locked', `${name} is open in another Clusterscope window or process; close it there first`, path);
  }
  if (code === 'SQLITE_FULL') {
    return new ProjectError('disk-full', `The disk is full: the last change to ${name} was not saved (the project is as it was before)`, path);
  }
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new ProjectError('damaged', `${name} is damaged (${(e as Error).message}); open a backup or start a new project`, path);
  }
  if (code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY')) {
    return new ProjectError('read-only', `${name} is read-only: changes cannot be saved`, path);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new ProjectError('io', `${name} could not be read or written (${(e as Error).message})`, path);
  }
  return e instanceof Error ? e : new Error(String(e));
}

function int32FromBlob(b: Buffer | null): Int32Array | null {
  if (!b) return null;
  const out = new Int32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

function floatsFromBlob(b: Buffer, dtype: 'float64' | 'float32'): Float64Array | Float32Array {
  const out = dtype === 'float32' ? new Float32Array(b.byteLength / 4) : new Float64Array(b.byteLength / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

function blobOf(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

const now = (): string => new Date().toISOString();

interface DatasetRow {
  id: string;
  name: string;
  source: string;
  n_samples: number;
  n_features: number;
  dtype: 'float64' | 'float32';
  feature_names: string;
  label_name: string | null;
  label_classes: string | null;
  created_at: string;
}

interface RunRow {
  id: string;
  dataset_id: string;
  algorithm: string;
  params: string;
  random_state: number | null;
  status: RunStatus;
  created_at: string;
  duration_ms: number;
  n_clusters: number;
  metrics: string;
  error: string | null;
}

const RUN_COLUMNS = 'id, dataset_id, algorithm, params, random_state, status, created_at, duration_ms, n_clusters, metrics, error';
const DATASET_COLUMNS = 'id, name, source, n_samples, n_features, dtype, feature_names, label_name, label_classes, created_at';

export class ProjectStore {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly readOnly: boolean,
    private readonly key: string,
  ) {}

  /** Opens (or creates) a project file, checking that it is ours and migrating it if needed. */
  static open(path: string, opts: OpenOptions = {}): ProjectStore {
    const migrations = opts.migrations ?? MIGRATIONS;
    const schemaVersion = migrations.length;
    const exists = existsSync(path);
    if (!exists && !opts.create) throw new ProjectError('not-found', `${basename(path)} does not exist`, path);
    if (exists && statSync(path).isDirectory()) throw new ProjectError('not-a-project', `${basename(path)} is a folder, not a project file`, path);
    if (exists && openInThisProcess.has(fileKey(path))) {
      throw new ProjectError('locked', `${basename(path)} is already open in Clusterscope; switch to it, or close it first`, path);
    }
    let readOnly = Boolean(opts.readOnly);
    if (exists) {
      const h = inspectHeader(path);
      if (!h.empty) {
        if (h.applicationId !== APPLICATION_ID) {
          throw new ProjectError(
            'foreign-app',
            `${basename(path)} is an SQLite database of another application, not a Clusterscope project; it was left untouched`,
            path,
          );
        }
        if (h.userVersion > schemaVersion) {
          throw new ProjectError(
            'newer-version',
            `${basename(path)} was saved by a newer Clusterscope (schema ${h.userVersion}, this version reads up to ${schemaVersion}); it was left untouched`,
            path,
          );
        }
        if (h.userVersion < schemaVersion && !readOnly && !isWritable(path)) {
          throw new ProjectError('read-only', `${basename(path)} needs an upgrade but is read-only; copy it somewhere writable`, path);
        }
      }
      if (!readOnly && !isWritable(path)) readOnly = true;
    }
    let db: Database.Database | undefined;
    try {
      if (readOnly && exists && needsSnapshot(path)) {
        db = openSnapshot(path);
      } else {
        // A short busy timeout: the only other holder can be another app instance, which keeps
        // the lock for as long as it has the project open.
        db = new Database(path, { readonly: readOnly, fileMustExist: exists, timeout: 250 });
      }
      if (readOnly) {
        db.pragma('query_only = ON');
      } else {
        // EXCLUSIVE before WAL: the WAL index then lives in heap memory and no other process
        // can open the file while we hold it.
        db.pragma('locking_mode = EXCLUSIVE');
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
      }
      db.pragma('foreign_keys = ON');
      if (exists) {
        const appId = db.pragma('application_id', { simple: true }) as number;
        const version = db.pragma('user_version', { simple: true }) as number;
        const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_schema").get() as { n: number }).n > 0;
        if ((appId !== APPLICATION_ID && (appId !== 0 || hasTables)) || version > schemaVersion) {
          throw new ProjectError('foreign-app', `${basename(path)} is not a Clusterscope project this version can open`, path);
        }
      }
      const check = db.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new ProjectError('damaged', `${basename(path)} is damaged (${firstProblem(check)}); open a backup or start a new project`, path);
      const store = new ProjectStore(db, path, readOnly, fileKey(path));
      if (!readOnly) store.migrate(migrations);
      else if ((db.pragma('user_version', { simple: true }) as number) < schemaVersion) {
        throw new ProjectError('read-only', `${basename(path)} is from an older version and is read-only, so it cannot be upgraded`, path);
      }
      openInThisProcess.add(store.key);
      return store;
    } catch (e) {
      db?.close();
      throw translateSqliteError(e, path);
    }
  }

  private migrate(migrations: readonly string[]): void {
    const db = this.db;
    const target = migrations.length;
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from === target) {
      // Take the exclusive lock now rather than at the first change, so that a second
      // process is told at open time.
      db.exec('BEGIN IMMEDIATE; COMMIT;');
      return;
    }
    db.transaction(() => {
      if (from === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
      for (let v = from; v < target; v++) db.exec(migrations[v]);
      db.pragma(`user_version = ${target}`);
      if (from === 0) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('created_at', now());
    }).immediate();
    // Put the new header (application_id, user_version) in the main file now: until a
    // checkpoint it lives only in the WAL, and a second process reading the header would take
    // the file for somebody else's.
    db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Runs a write in one transaction, translating SQLite failures (disk full, …). */
  private write<T>(fn: () => T): T {
    if (this.readOnly) throw new ProjectError('read-only', `${basename(this.path)} is open read-only: changes cannot be saved`, this.path);
    try {
      return this.db.transaction(fn).immediate();
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  private read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw translateSqliteError(e, this.path);
    }
  }

  /**
   * Runs `fn` in one write transaction on this project's connection. The repositories of the
   * feature areas (labels, decisions, analyses…) write through here, so every write is atomic,
   * checked for read-only mode and translated into a ProjectError on failure.
   */
  transaction<T>(fn: (db: Database.Database) => T): T {
    return this.write(() => fn(this.db));
  }

  /** Runs a read on this project's connection, with SQLite errors translated. */
  query<T>(fn: (db: Database.Database) => T): T {
    return this.read(() => fn(this.db));
  }

  get name(): string {
    return basename(this.path, PROJECT_EXTENSION);
  }

  addDataset(d: NewDataset): DatasetSummary {
    if (d.featureNames.length !== d.X.cols) throw new Error(`dataset has ${d.X.cols} columns but ${d.featureNames.length} feature names`);
    if (d.labels && d.labels.length !== d.X.rows) throw new Error(`dataset has ${d.X.rows} rows but ${d.labels.length} labels`);
    const id = randomUUID();
    const dtype = d.X.data instanceof Float32Array ? 'float32' : 'float64';
    this.write(() =>
      this.db
        .prepare(
          `INSERT INTO datasets (${DATASET_COLUMNS}, labels, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          id,
          d.name,
          d.source,
          d.X.rows,
          d.X.cols,
          dtype,
          JSON.stringify(d.featureNames),
          d.labelName,
          d.labelClasses ? JSON.stringify(d.labelClasses) : null,
          now(),
          d.labels ? blobOf(d.labels) : null,
          blobOf(d.X.data),
        ),
    );
    return this.getDataset(id);
  }

  private toDataset(r: DatasetRow): DatasetSummary {
    return {
      id: r.id,
      name: r.name,
      source: r.source,
      nSamples: r.n_samples,
      nFeatures: r.n_features,
      featureNames: JSON.parse(r.feature_names) as string[],
      labelName: r.label_name,
      labelClasses: r.label_classes ? (JSON.parse(r.label_classes) as string[]) : null,
      dtype: r.dtype,
      createdAt: r.created_at,
    };
  }

  listDatasets(): DatasetSummary[] {
    return this.read(() =>
      (this.db.prepare(`SELECT ${DATASET_COLUMNS} FROM datasets ORDER BY created_at, rowid`).all() as DatasetRow[]).map((r) =>
        this.toDataset(r),
      ),
    );
  }

  getDataset(id: string): DatasetSummary {
    const r = this.read(() => this.db.prepare(`SELECT ${DATASET_COLUMNS} FROM datasets WHERE id = ?`).get(id) as DatasetRow | undefined);
    if (!r) throw new ProjectError('unknown-id', `no dataset with id ${id} in this project`, this.path);
    return this.toDataset(r);
  }

  /** The dataset's matrix and ground-truth label codes. */
  getDatasetData(id: string): { X: Matrix; labels: Int32Array | null } {
    const r = this.read(
      () =>
        this.db.prepare('SELECT n_samples, n_features, dtype, data, labels FROM datasets WHERE id = ?').get(id) as
          | { n_samples: number; n_features: number; dtype: 'float64' | 'float32'; data: Buffer; labels: Buffer | null }
          | undefined,
    );
    if (!r) throw new ProjectError('unknown-id', `no dataset with id ${id} in this project`, this.path);
    const data = floatsFromBlob(r.data, r.dtype);
    if (data.length !== r.n_samples * r.n_features) {
      throw new ProjectError('damaged', `dataset ${id} holds ${data.length} values, expected ${r.n_samples}×${r.n_features}`, this.path);
    }
    return { X: { rows: r.n_samples, cols: r.n_features, data }, labels: int32FromBlob(r.labels) };
  }

  addRun(run: NewRun): RunSummary {
    const id = randomUUID();
    this.write(() => {
      this.getDataset(run.datasetId);
      this.db
        .prepare(`INSERT INTO runs (${RUN_COLUMNS}, labels, centers, centers_shape, model) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(
          id,
          run.datasetId,
          run.algorithm,
          JSON.stringify(run.params),
          run.randomState,
          run.status,
          now(),
          run.durationMs,
          run.nClusters,
          JSON.stringify(run.metrics, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)),
          run.error,
          run.labels ? blobOf(run.labels) : null,
          run.centers ? blobOf(Float64Array.from(run.centers.data)) : null,
          run.centers ? JSON.stringify([run.centers.rows, run.centers.cols]) : null,
          run.model === undefined ? null : JSON.stringify(run.model),
        );
    });
    return this.getRunSummary(id);
  }

  private toRun(r: RunRow): RunSummary {
    const metrics = JSON.parse(r.metrics, (_k, v: unknown) =>
      v === 'NaN' || v === 'Infinity' || v === '-Infinity' ? Number(v) : v,
    ) as Record<string, number>;
    return {
      id: r.id,
      datasetId: r.dataset_id,
      algorithm: r.algorithm,
      params: JSON.parse(r.params) as Record<string, unknown>,
      randomState: r.random_state,
      status: r.status,
      createdAt: r.created_at,
      durationMs: r.duration_ms,
      nClusters: r.n_clusters,
      metrics,
      error: r.error,
    };
  }

  listRuns(datasetId: string): RunSummary[] {
    return this.read(() =>
      (this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE dataset_id = ? ORDER BY created_at, rowid`).all(datasetId) as RunRow[]).map((r) =>
        this.toRun(r),
      ),
    );
  }

  private getRunSummary(id: string): RunSummary {
    const r = this.read(() => this.db.prepare(`SELECT ${RUN_COLUMNS} FROM runs WHERE id = ?`).get(id) as RunRow | undefined);
    if (!r) throw new ProjectError('unknown-id', `no run with id ${id} in this project`, this.path);
    return this.toRun(r);
  }

  getRun(id: string): RunDetail {
    const summary = this.getRunSummary(id);
    const r = this.read(
      () =>
        this.db.prepare('SELECT labels, centers, centers_shape FROM runs WHERE id = ?').get(id) as {
          labels: Buffer | null;
          centers: Buffer | null;
          centers_shape: string | null;
        },
    );
    let centers: RunDetail['centers'] = null;
    if (r.centers && r.centers_shape) {
      const [rows, cols] = JSON.parse(r.centers_shape) as [number, number];
      centers = { rows, cols, data: floatsFromBlob(r.centers, 'float64') };
    }
    return { ...summary, labels: int32FromBlob(r.labels) ?? new Int32Array(0), centers };
  }

  /** The saved estimator JSON of a run. */
  getRunModel(id: string): unknown {
    const r = this.read(() => this.db.prepare('SELECT model FROM runs WHERE id = ?').get(id) as { model: string | null } | undefined);
    if (!r) throw new ProjectError('unknown-id', `no run with id ${id} in this project`, this.path);
    return r.model === null ? null : JSON.parse(r.model);
  }

  removeRun(id: string): void {
    this.write(() => {
      const info = this.db.prepare('DELETE FROM runs WHERE id = ?').run(id);
      if (info.changes === 0) throw new ProjectError('unknown-id', `no run with id ${id} in this project`, this.path);
    });
  }

  countRuns(): number {
    return this.read(() => (this.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n);
  }

  getViewState(key: string): unknown {
    const r = this.read(() => this.db.prepare('SELECT value FROM view_state WHERE key = ?').get(key) as { value: string } | undefined);
    return r ? JSON.parse(r.value) : null;
  }

  setViewState(key: string, value: unknown): void {
    const json = JSON.stringify(value ?? null);
    this.write(() =>
      this.db
        .prepare('INSERT INTO view_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
        .run(key, json, now()),
    );
  }

  /**
   * Copies the project to `target` with SQLite's online backup API (never a file copy of a
   * live database), leaving this store open on the original.
   */
  async backupTo(target: string): Promise<void> {
    try {
      await this.db.backup(target);
    } catch (e) {
      throw translateSqliteError(e, target);
    }
  }

  /** SQLite's full integrity check (slow on big projects; used by tests and "verify"). */
  integrityCheck(): string {
    return this.read(() => String(this.db.pragma('integrity_check', { simple: true })));
  }

  close(): void {
    if (!this.db.open) return;
    openInThisProcess.delete(this.key);
    if (!this.readOnly) {
      try {
        this.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // A failed checkpoint loses nothing: the WAL is replayed at the next open.
      }
    }
    this.db.close();
  }
}
