/**
 * The browser host: the same backend as the desktop app, served over HTTP + WebSocket on
 * 127.0.0.1. Every request must carry the random token printed at start (as `?token=` on the
 * first page load, then as a SameSite=Strict cookie), a Host naming the loopback address (no DNS
 * rebinding), and, for uploads and the WebSocket, our own Origin. Static files are served only
 * from the renderer's folder.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, isMethodPath, registerApi, type ApiEvents, type MethodPath } from '../../shared/api';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { decodeMessage, encodeMessage, type WireReply, type WireRequest } from '../../shared/wire';
import { Backend, type BackendOptions } from '../backend/backend';
import { WorkerPool, defaultPoolSize } from '../backend/jobs/pool';
import { childProcessSpawner } from '../backend/jobs/child-process';
import { availableParallelism, homedir } from 'node:os';
import { UploadError } from '../backend/imagesets/uploads';

export interface BrowserHostOptions {
  port?: number;
  dataDir: string;
  resourcesDir: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  workerPath: string;
  workerExecArgv?: string[];
  poolSize?: number;
  version: string;
  /** Fixed token (tests); random otherwise. */
  token?: string;
  /** Upload size limit in bytes (a file, or a whole folder). */
  maxUploadBytes?: number;
  /** Where a folder may be named by a typed path; default: the home folder of the person running the host. */
  folderRoot?: string | null;
}

export interface BrowserHost {
  url: string;
  port: number;
  token: string;
  backend: Backend;
  pool: WorkerPool;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};


const COOKIE = 'cs_token';
/** Files one folder upload may hold. */
const MAX_FOLDER_FILES = 100_000;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a), y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return decodeURIComponent(v.join('='));
  }
  return null;
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  const maxUpload = opts.maxUploadBytes ?? 2 * 1024 ** 3;
  const sockets = new Set<WebSocket>();

  const emit = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]): void => {
    const frame = encodeMessage({ event, payload } satisfies WireReply);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  };
  const pool = new WorkerPool(
    childProcessSpawner({ workerPath: opts.workerPath, execArgv: opts.workerExecArgv }),
    opts.poolSize ?? defaultPoolSize(availableParallelism()),
    { silenceTimeoutMs: 120_000 },
  );
  const backendOpts: BackendOptions = {
    dataDir: opts.dataDir,
    resourcesDir: opts.resourcesDir,
    pool,
    emit,
    host: 'browser',
    version: opts.version,
    // The host serves 127.0.0.1 only, to the person who started it: their home folder is theirs.
    folderRoot: opts.folderRoot === undefined ? homedir() : opts.folderRoot,
  };
  const backend = new Backend(backendOpts);
  const handlers = new Map<MethodPath, (args: unknown[]) => Promise<unknown>>();
  registerApi(backend, (path, handler) => handlers.set(path, handler));

  let origin = '';
  const allowedHosts = new Set<string>();

  function authorized(req: IncomingMessage, url: URL): boolean {
    if (!allowedHosts.has(req.headers.host ?? '')) return false;
    const given = url.searchParams.get('token') ?? (req.headers['x-clusterscope-token'] as string | undefined) ?? cookieToken(req);
    return typeof given === 'string' && safeEqual(given, token);
  }

  function sameOrigin(req: IncomingMessage): boolean {
    const o = req.headers.origin;
    return o === undefined ? false : o === origin || o === origin.replace('127.0.0.1', 'localhost');
  }

  function deny(res: ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(message);
  }

  function serveStatic(res: ServerResponse, pathname: string, setCookie: boolean): void {
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return deny(res, 400, 'bad path');
    }
    if (rel.includes('\0')) return deny(res, 400, 'bad path');
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(root, rel));
    if (!(file === root || file.startsWith(root + sep))) return deny(res, 404, 'not found');
    if (file.split(sep).some((p) => p.startsWith('.') && p !== '.' && p !== '..')) return deny(res, 404, 'not found');
    if (!existsSync(file) || !statSync(file).isFile()) return deny(res, 404, 'not found');
    const headers: Record<string, string> = {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-cache',
    };
    if (setCookie) headers['set-cookie'] = `${COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!sameOrigin(req)) return deny(res, 403, 'foreign origin');
    const name = url.searchParams.get('name') ?? 'upload';
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUpload) return deny(res, 413, `file too large (limit ${Math.round(maxUpload / 1024 ** 2)} MiB)`);
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxUpload) {
        aborted = true;
        deny(res, 413, `file too large (limit ${Math.round(maxUpload / 1024 ** 2)} MiB)`);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (aborted) return;
      const ref = backend.uploads.add(name, Buffer.concat(chunks));
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ kind: 'upload', id: ref.id, name: ref.name }));
    });
  }

  /** A folder from `<input type=file webkitdirectory>`, all its files in one body (shared/images.ts). */
  function handleFolderUpload(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (!sameOrigin(req)) return deny(res, 403, 'foreign origin');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUpload) return deny(res, 413, `folder too large (limit ${Math.round(maxUpload / 1024 ** 2)} MiB)`);
    backend.imageSets.uploads.receive(req, url.searchParams.get('name') ?? 'folder', { maxBytes: maxUpload, maxFiles: MAX_FOLDER_FILES }).then(
      (ref) => {
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(ref));
      },
      (e: unknown) => {
        const status = e instanceof UploadError ? e.status : 500;
        deny(res, status, e instanceof Error ? e.message : String(e));
        if (status === 413) req.destroy();
      },
    );
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!authorized(req, url)) return deny(res, 403, 'Clusterscope: open the address printed at start (it carries the access token).');
    if (req.method === 'POST' && url.pathname === '/upload') return handleUpload(req, res, url);
    if (req.method === 'POST' && url.pathname === '/upload-folder') return handleFolderUpload(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');
    serveStatic(res, url.pathname, url.searchParams.has('token'));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/ws' || !authorized(req, url) || !sameOrigin(req)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data, isBinary) => void onMessage(ws, data as Buffer, isBinary));
    });
  });

  async function onMessage(ws: WebSocket, data: Buffer, isBinary: boolean): Promise<void> {
    let req: WireRequest;
    try {
      if (!isBinary) throw new Error('expected a binary frame');
      req = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) as WireRequest;
      if (typeof req?.id !== 'number' || !Array.isArray(req.args)) throw new Error('malformed request');
    } catch {
      ws.close(1003, 'malformed request');
      return;
    }
    let reply: WireReply;
    try {
      if (!isMethodPath(req.method)) throw new ApiError(`unknown method '${String(req.method)}'`, 'bad-input');
      const result = await handlers.get(req.method)!(req.args);
      reply = { id: req.id, ok: true, result: result ?? null };
    } catch (e) {
      const err = e as Error & { code?: string };
      reply = { id: req.id, ok: false, error: { name: err.name ?? 'Error', message: err.message ?? String(e), code: typeof err.code === 'string' ? err.code : 'error' } };
    }
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(reply));
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);
  await backend.init();

  return {
    url: `${origin}/?token=${token}`,
    port,
    token,
    backend,
    pool,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      // Keep-alive connections would hold close() open: drop them first.
      const closed = new Promise<void>((ok) => server.close(() => ok()));
      server.closeAllConnections();
      await closed;
      backend.dispose();
      pool.dispose();
    },
  };
}
