/**
 * The project schema, one migration per version. `user_version` holds the number of migrations
 * applied; they run inside one transaction, so a migration killed half-way leaves the file at
 * its old version. Never edit a shipped migration: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: datasets, runs, view state.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;

  CREATE TABLE datasets (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    source        TEXT NOT NULL,
    n_samples     INTEGER NOT NULL CHECK (n_samples >= 0),
    n_features    INTEGER NOT NULL CHECK (n_features >= 0),
    dtype         TEXT NOT NULL CHECK (dtype IN ('float64', 'float32')),
    feature_names TEXT NOT NULL,
    label_name    TEXT,
    label_classes TEXT,
    labels        BLOB,
    data          BLOB NOT NULL,
    created_at    TEXT NOT NULL
  ) STRICT;

  CREATE TABLE runs (
    id            TEXT PRIMARY KEY,
    dataset_id    TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    algorithm     TEXT NOT NULL,
    params        TEXT NOT NULL,
    random_state  INTEGER,
    status        TEXT NOT NULL CHECK (status IN ('done', 'failed', 'cancelled')),
    created_at    TEXT NOT NULL,
    duration_ms   REAL NOT NULL,
    n_clusters    INTEGER NOT NULL,
    metrics       TEXT NOT NULL,
    labels        BLOB,
    centers       BLOB,
    centers_shape TEXT,
    model         TEXT,
    error         TEXT
  ) STRICT;
  CREATE INDEX runs_by_dataset ON runs(dataset_id, created_at);

  CREATE TABLE view_state (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  `,
  // 2: saved analyses (sweeps, silhouettes, boundaries… with their typed arrays), per-row items
  // of image datasets (file and thumbnail), labels with an undoable history, anomaly decisions.
  `
  CREATE TABLE analyses (
    id         TEXT PRIMARY KEY,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    run_id     TEXT REFERENCES runs(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    params     TEXT NOT NULL,
    result     BLOB NOT NULL,
    duration_ms REAL NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX analyses_by_dataset ON analyses(dataset_id, kind, created_at);

  CREATE TABLE dataset_items (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    row        INTEGER NOT NULL CHECK (row >= 0),
    name       TEXT NOT NULL,
    thumbnail  BLOB,
    PRIMARY KEY (dataset_id, row)
  ) STRICT;

  CREATE TABLE labels (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    row        INTEGER NOT NULL CHECK (row >= 0),
    label      TEXT NOT NULL,
    source     TEXT NOT NULL CHECK (source IN ('hand', 'propagated')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (dataset_id, row)
  ) STRICT;

  CREATE TABLE anomaly_decisions (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    row        INTEGER NOT NULL CHECK (row >= 0),
    decision   TEXT NOT NULL CHECK (decision IN ('confirmed', 'dismissed', 'skipped')),
    detector   TEXT,
    score      REAL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (dataset_id, row)
  ) STRICT;

  -- One history for labels and decisions: each user action is a group of changes that undo and
  -- redo restore together (before/after as JSON, null meaning "no row").
  CREATE TABLE edit_history (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    action     INTEGER NOT NULL,
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    target     TEXT NOT NULL CHECK (target IN ('label', 'decision')),
    row        INTEGER NOT NULL,
    before     TEXT,
    after      TEXT,
    undone     INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
    at         TEXT NOT NULL
  ) STRICT;
  CREATE INDEX edit_history_by_action ON edit_history(dataset_id, action);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** 'ClSc': marks an SQLite file as a Clusterscope project (SQLite header offset 68). */
export const APPLICATION_ID = 0x436c5363;
