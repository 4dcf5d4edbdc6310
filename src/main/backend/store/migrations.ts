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
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** 'ClSc': marks an SQLite file as a Clusterscope project (SQLite header offset 68). */
export const APPLICATION_ID = 0x436c5363;
