/**
 * The downloader against a real local HTTP server serving ../shared/data: progress, the
 * checksums (SHA-256 of the file, MD5 of MNIST's gunzipped content), a wrong file refused with
 * nothing left behind, a server that is down reported as offline, cancellation, a stalled
 * server, and a base address standing in for the public one.
 */
import { createServer, type Server } from 'node:http';
import { createReadStream, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DownloadError, download, ensureDownloaded, isDownloaded } from '../../../src/main/backend/downloads/download';
import { MNIST_FILES, OLIVETTI_MAT, downloadBase, downloadSpec } from '../../../src/main/backend/downloads/catalog';

const DATA = resolve(__dirname, '../../../../shared/data');
let server: Server;
let base: string;
let dir: string;
const requests: string[] = [];
/** Paths the server answers slowly: one chunk, then silence. */
const stalled = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (path === '/wrong/olivettifaces.mat') {
      res.writeHead(200, { 'content-length': '11' });
      return res.end('not the mat');
    }
    const file = join(DATA, path);
    if (!file.startsWith(DATA) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      return res.end('no such file');
    }
    res.writeHead(200, { 'content-length': String(statSync(file).size) });
    if (stalled.has(path)) {
      res.write(Buffer.alloc(1000));
      return; // never ends
    }
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-downloads-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

describe('downloading a file of the catalog', () => {
  it('fetches it from the download base with progress, checks its SHA-256 and keeps it under its name', async () => {
    const seen: Array<[number, number | null]> = [];
    const path = await download(dir, downloadSpec(OLIVETTI_MAT, base), { onProgress: (r, t) => seen.push([r, t]) });
    expect(path).toBe(join(dir, 'olivettifaces.mat'));
    expect(statSync(path).size).toBe(OLIVETTI_MAT.bytes);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual([OLIVETTI_MAT.bytes, OLIVETTI_MAT.bytes]);
    expect(seen.every(([r], i) => i === 0 || r >= seen[i - 1][0])).toBe(true);
    expect(readdirSync(dir)).toEqual(['olivettifaces.mat']);
  });

  it('checks MNIST by the MD5 of the gunzipped content, and does not download a file that is already there', async () => {
    const spec = downloadSpec(MNIST_FILES.testLabels, base);
    await ensureDownloaded(dir, spec);
    expect(await isDownloaded(dir, spec)).toBe(true);
    const before = requests.length;
    await ensureDownloaded(dir, spec);
    expect(requests.length).toBe(before);
  });

  it('replaces a damaged copy', async () => {
    const spec = downloadSpec(MNIST_FILES.testLabels, base);
    writeFileSync(join(dir, spec.file), 'damaged');
    expect(await isDownloaded(dir, spec)).toBe(false);
    await ensureDownloaded(dir, spec);
    expect(await isDownloaded(dir, spec)).toBe(true);
  });

  it('refuses a file that is not the expected one, with a clear error, and keeps nothing', async () => {
    const spec = { ...downloadSpec(OLIVETTI_MAT, base), url: `${base}wrong/olivettifaces.mat` };
    const e = await download(dir, spec).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DownloadError);
    expect((e as DownloadError).code).toBe('checksum');
    expect((e as DownloadError).message).toMatch(/did not send the expected olivettifaces\.mat: its SHA-256 is [0-9a-f]{64}, expected b612fb96.* or b1988d02.*\. Nothing was kept\./);
    const md5 = { ...downloadSpec(MNIST_FILES.testLabels, base), url: `${base}mnist/train-labels-idx1-ubyte.gz` };
    await expect(download(dir, md5)).rejects.toThrow(/the MD5 of its content is [0-9a-f]{32}, expected 27ae3e4e/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('says the server answered with an error', async () => {
    const e = (await download(dir, { file: 'x.bin', url: `${base}missing/x.bin` }).catch((x: unknown) => x)) as DownloadError;
    expect(e.code).toBe('http');
    expect(e.message).toMatch(/answered 404 .*for x\.bin/);
  });

  it('says it is offline when the server cannot be reached, and keeps nothing', async () => {
    const down = createServer();
    await new Promise<void>((ok) => down.listen(0, '127.0.0.1', ok));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((ok) => down.close(() => ok()));
    const e = (await download(dir, downloadSpec(OLIVETTI_MAT, `http://127.0.0.1:${port}/`)).catch((x: unknown) => x)) as DownloadError;
    expect(e.code).toBe('offline');
    expect(e.message).toMatch(new RegExp(`Could not reach 127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\) to download olivettifaces\\.mat: this computer seems to be offline`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('gives up on a server that stops sending, and can be cancelled, leaving no partial file', async () => {
    stalled.add('/faces/olivettifaces.mat');
    try {
      const slow = (await download(dir, downloadSpec(OLIVETTI_MAT, base), { idleTimeoutMs: 300 }).catch((x: unknown) => x)) as DownloadError;
      expect(slow.code).toBe('offline');
      expect(slow.message).toMatch(/did not answer for 0 s while sending olivettifaces\.mat/);
      const abort = new AbortController();
      const cancelled = download(dir, downloadSpec(OLIVETTI_MAT, base), { signal: abort.signal, onProgress: () => abort.abort() }).catch((x: unknown) => x);
      expect(((await cancelled) as DownloadError).code).toBe('cancelled');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      stalled.delete('/faces/olivettifaces.mat');
    }
  });

  it('removes the partial files a killed download left, and only those', async () => {
    writeFileSync(join(dir, 'olivettifaces.mat.999999999-abc.part'), 'left by a dead process');
    writeFileSync(join(dir, `olivettifaces.mat.${process.pid}-live.part`), 'a download in progress here');
    await download(dir, downloadSpec(OLIVETTI_MAT, base));
    expect(readdirSync(dir).sort()).toEqual(['olivettifaces.mat', `olivettifaces.mat.${process.pid}-live.part`]);
  });
});

describe('the download base', () => {
  it('comes from the explicit setting, else CLUSTERSCOPE_DOWNLOAD_BASE, else the public addresses are used', () => {
    expect(downloadBase('http://mirror/', {})).toBe('http://mirror/');
    expect(downloadBase(null, { CLUSTERSCOPE_DOWNLOAD_BASE: ' http://env/data ' })).toBe('http://env/data');
    expect(downloadBase(null, {})).toBeNull();
    expect(downloadSpec(OLIVETTI_MAT, null).url).toBe('https://ndownloader.figshare.com/files/5976027');
    expect(downloadSpec(MNIST_FILES.trainImages, 'http://env/data').url).toBe('http://env/data/mnist/train-images-idx3-ubyte.gz');
  });
});
