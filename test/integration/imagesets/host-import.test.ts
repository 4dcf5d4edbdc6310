/**
 * Image folders through the browser host, as the page uses them: a folder uploaded in one body
 * (token, origin and size rules), or typed as a path inside the allowed root (never outside it),
 * previewed, then imported by a real worker process with progress; the dataset keeps a file name
 * and a thumbnail per row, and the report lists what was left out.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodePng } from '../../../src/main/backend/imagesets/png';
import { startBrowserHost, type BrowserHost } from '../../../src/main/server/host';
import { createClient, type ApiEventName, type ClientApi, type Transport } from '../../../src/shared/api';
import type { JobInfo } from '../../../src/shared/dto';
import { FOLDER_UPLOAD_MAGIC, folderUploadRecord, type FolderRef } from '../../../src/shared/images';
import { decodeMessage, encodeMessage, type WireReply } from '../../../src/shared/wire';
import { decodeGrayPng } from '../../unit/backend/importers/png';

const ROOT = resolve(__dirname, '../../..');
const OLIVETTI = resolve(ROOT, '../shared/data/faces/olivetti');
let dir: string;
let home: string;
let host: BrowserHost;
let api: ClientApi;
let ws: WebSocket;
const progress = new Map<string, number[]>();

function post(path: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: 'POST', headers: { 'content-length': String(body.length), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', fail);
    req.end(body);
  });
}

const allowed = (): Record<string, string> => ({ cookie: `cs_token=${host.token}`, origin: `http://127.0.0.1:${host.port}` });

/** A folder upload body, as the page builds it from `webkitRelativePath` and the files. */
function folderBody(files: Array<[string, Uint8Array | string]>): Buffer {
  const parts: Buffer[] = [Buffer.from(FOLDER_UPLOAD_MAGIC)];
  for (const [path, content] of files) {
    const bytes = Buffer.from(content);
    parts.push(Buffer.from(folderUploadRecord(path, bytes.length)), bytes);
  }
  return Buffer.concat(parts);
}

async function connect(): Promise<void> {
  ws = await new Promise<WebSocket>((ok, fail) => {
    const s = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: allowed() });
    s.once('open', () => ok(s));
    s.once('error', fail);
  });
  const waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  const listeners = new Set<(e: ApiEventName, p: unknown) => void>();
  let next = 1;
  ws.on('message', (data: Buffer) => {
    const msg = decodeMessage(new Uint8Array(data)) as WireReply;
    if ('event' in msg) return listeners.forEach((l) => l(msg.event as ApiEventName, msg.payload));
    const w = waiting.get(msg.id)!;
    waiting.delete(msg.id);
    if (msg.ok) w.ok(msg.result);
    else w.fail(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
  });
  const transport: Transport = {
    invoke: (method, args) =>
      new Promise((ok, fail) => {
        const id = next++;
        waiting.set(id, { ok, fail });
        ws.send(encodeMessage({ id, method, args }));
      }),
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  api = createClient(transport);
  api.on('job:progress', (p) => progress.set(p.jobId, [...(progress.get(p.jobId) ?? []), p.progress]));
}

function finished(jobId: string): Promise<JobInfo> {
  return new Promise((ok) => {
    const offs = (['job:done', 'job:failed', 'job:cancelled'] as const).map((name) =>
      api.on(name, (j) => {
        if (j.id !== jobId) return;
        offs.forEach((off) => off());
        ok(j);
      }),
    );
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cs-images-host-'));
  home = join(dir, 'home');
  mkdirSync(join(home, 'shapes/round'), { recursive: true });
  mkdirSync(join(home, 'shapes/square'), { recursive: true });
  for (let i = 0; i < 3; i++) {
    writeFileSync(join(home, `shapes/round/r${i}.png`), encodePng(6, 6, 1, Uint8Array.from({ length: 36 }, (_, j) => (j * 7 + i) % 256)));
    writeFileSync(join(home, `shapes/square/s${i}.png`), encodePng(6, 6, 1, Uint8Array.from({ length: 36 }, (_, j) => 255 - ((j * 5 + i) % 256))));
  }
  writeFileSync(join(home, 'shapes/square/broken.png'), 'not an image');
  symlinkSync('/etc', join(home, 'etc-link'));
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer);
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  host = await startBrowserHost({
    dataDir: join(dir, 'data'),
    resourcesDir: join(ROOT, 'resources'),
    rendererDir: renderer,
    workerPath: join(ROOT, 'src/main/worker/index.ts'),
    workerExecArgv: ['--import', 'tsx'],
    poolSize: 1,
    version: 'test',
    folderRoot: home,
    maxUploadBytes: 4 * 1024 * 1024,
  });
  await connect();
  await api.project.create();
});

afterAll(async () => {
  ws?.close();
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('uploading a folder to the browser host', () => {
  it('refuses a foreign origin, a missing token and a body over the size limit', async () => {
    const body = folderBody([['a/x.png', encodePng(1, 1, 1, new Uint8Array(1))]]);
    expect((await post('/upload-folder?name=a', body, { cookie: `cs_token=${host.token}`, origin: 'http://evil.example' })).status).toBe(403);
    expect((await post('/upload-folder?name=a', body, { origin: `http://127.0.0.1:${host.port}` })).status).toBe(403);
    const big = folderBody([['a/big.png', new Uint8Array(5 * 1024 * 1024)]]);
    const r = await post('/upload-folder?name=a', big, allowed());
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/limit 4 MiB/);
  });

  it('refuses paths that would leave the folder, duplicates and a body cut short, and keeps nothing of them', async () => {
    const uploaded = (): number => (existsSync(join(dir, 'data/uploads/folders')) ? readdirSync(join(dir, 'data/uploads/folders')).length : 0);
    const before = uploaded();
    for (const [path, why] of [['../escape.png', /"\.\."/], ['a//b.png', /empty/], ['/abs.png', /empty/]] as const) {
      const r = await post('/upload-folder?name=a', folderBody([[path, 'x']]), allowed());
      expect(r.status, path).toBe(400);
      expect(r.body).toMatch(why);
    }
    expect((await post('/upload-folder?name=a', folderBody([['a.png', 'x'], ['a.png', 'y']]), allowed())).body).toMatch(/appears twice/);
    const cut = folderBody([['a.png', 'abcdef']]);
    expect((await post('/upload-folder?name=a', cut.subarray(0, cut.length - 2), allowed())).body).toMatch(/ends inside a\.png/);
    expect((await post('/upload-folder?name=a', Buffer.from('PK\x03\x04'), allowed())).body).toMatch(/bad magic/);
    expect(uploaded()).toBe(before);
  });

  it('imports the uploaded Olivetti folder: 400 faces of 64×64 with person labels from labels.csv, thumbnails, progress per file', async () => {
    const names = readdirSync(OLIVETTI);
    const up = await post('/upload-folder?name=olivetti', folderBody(names.map((n) => [`olivetti/${n}`, readFileSync(join(OLIVETTI, n))])), allowed());
    expect(up.status, up.body).toBe(200);
    const ref = JSON.parse(up.body) as FolderRef;
    expect(ref).toMatchObject({ kind: 'upload', name: 'olivetti' });

    const preview = await api.imagesets.inspect(ref);
    expect(preview).toMatchObject({ name: 'olivetti', nImages: 400, ignored: 0, sizesFrom: 400, anyColour: false, suggestedLabels: 'csv', problems: [] });
    expect(preview.sizes).toEqual([{ width: 64, height: 64, count: 400 }]);
    // The browser sends the chosen folder's name in front of every path: that folder is the one imported.
    expect(preview.csvLabels).toMatchObject({ file: 'labels.csv', column: 'person', classes: 40, labeled: 400, unmatchedRows: 0 });

    const job = await api.imagesets.importFolder({ folder: ref, labels: 'csv', name: 'Faces' });
    expect(job.kind).toBe('images:import');
    const end = await finished(job.id);
    expect(end.state, end.error ?? '').toBe('done');
    expect((progress.get(job.id) ?? []).length).toBeGreaterThan(2);
    const report = (await api.imagesets.report(job.id))!;
    expect(report).toMatchObject({ imported: 400, resized: 0, skipped: [], width: 64, height: 64, channels: 1, scale: { min: 0, max: 242 } });
    expect(report.dataset).toMatchObject({ name: 'Faces', nSamples: 400, nFeatures: 4096, dtype: 'float32', labelName: 'person' });
    expect(report.dataset.labelClasses).toHaveLength(40);
    const items = (await api.data.items(report.dataset.id))!;
    expect(items[0]).toBe('p00_0.png');
    expect(items[399]).toBe('p39_9.png');
    const [thumb] = await api.data.thumbnails(report.dataset.id, [0]);
    const png = decodeGrayPng(thumb!);
    expect({ w: png.width, h: png.height }).toEqual({ w: 64, h: 64 });
    expect(Array.from(png.pixels.subarray(0, 64))).toEqual(Array.from(decodeGrayPng(readFileSync(join(OLIVETTI, 'p00_0.png'))).pixels.subarray(0, 64)));
  });
});

describe('naming a folder by its path in the browser host', () => {
  it('says where typed paths are allowed', async () => {
    expect(await api.imagesets.folderRoot()).toBe(home);
  });

  it('imports a folder inside the allowed root with labels from its sub-folders, reporting the broken file', async () => {
    const ref: FolderRef = { kind: 'path', path: join(home, 'shapes') };
    const preview = await api.imagesets.inspect(ref);
    expect(preview).toMatchObject({ nImages: 7, folderLabels: { classes: 2, labeled: 7 }, suggestedLabels: 'folders' });
    expect(preview.problems).toEqual([{ file: 'square/broken.png', reason: 'not a PNG image: the file holds text' }]);
    const job = await api.imagesets.importFolder({ folder: ref, labels: 'folders' });
    expect((await finished(job.id)).state).toBe('done');
    const report = (await api.imagesets.report(job.id))!;
    expect(report.imported).toBe(6);
    expect(report.skipped).toEqual([{ file: 'square/broken.png', reason: 'not a PNG image: the file holds text' }]);
    expect(report.dataset).toMatchObject({ name: 'shapes', labelName: 'folder', labelClasses: ['round', 'square'] });
  });

  it('refuses paths outside the root, also through a link, and relative paths', async () => {
    await expect(api.imagesets.inspect({ kind: 'path', path: '/etc' })).rejects.toThrow(/Only folders inside .* can be opened by path here/);
    await expect(api.imagesets.inspect({ kind: 'path', path: join(home, 'etc-link') })).rejects.toThrow(/Only folders inside/);
    await expect(api.imagesets.inspect({ kind: 'path', path: join(home, '..') })).rejects.toThrow(/Only folders inside/);
    await expect(api.imagesets.inspect({ kind: 'path', path: 'shapes' })).rejects.toThrow(/full path/);
    await expect(api.imagesets.inspect({ kind: 'path', path: join(home, 'nope') })).rejects.toThrow(/no such folder/);
    await expect(api.imagesets.inspect({ kind: 'upload', id: 'nope', name: 'x' })).rejects.toThrow(/no longer available/);
  });

  it('checks the import options', async () => {
    const folder: FolderRef = { kind: 'path', path: join(home, 'shapes') };
    await expect(api.imagesets.importFolder({ folder, width: 0, height: 8 })).rejects.toThrow(/width must be a whole number of pixels from 1 to 1024/);
    await expect(api.imagesets.importFolder({ folder, colour: 'cmyk' as never })).rejects.toThrow(/colour must be grayscale or rgb/);
    await expect(api.imagesets.importFolder({ folder, labels: 'csv' })).rejects.toThrow(/no labels\.csv/);
  });

  it('has no folder dialog in the browser host', async () => {
    expect(await api.files.pickFolder({ title: 'Open a folder' })).toBeNull();
  });
});
