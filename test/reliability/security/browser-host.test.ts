/**
 * The browser host's doors, beyond test/integration/server/host.test.ts: it listens on
 * 127.0.0.1 only (checked in the kernel's socket table and by knocking on every other address
 * of the machine), every Host, Origin and token variant that is not exactly ours is refused,
 * a long list of path-traversal encodings (sent as raw request lines, so no client normalises
 * them first) never reaches a file outside the renderer folder, other methods are refused, and
 * malformed WebSocket traffic closes that socket without hurting the host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../src/main/server/host';
import { encodeMessage } from '../../../src/shared/wire';
import { recordFigures } from '../figures';
import { FIXTURES, ROOT, tempDir } from '../helpers';

const SECRET = 'the secret beside the renderer folder';
let tmp: ReturnType<typeof tempDir>;
let host: BrowserHost;
const figures = { trials: 0, faults: 0, failures: 0, notes: [] as string[] };

beforeAll(async () => {
  tmp = tempDir('host');
  const renderer = join(tmp.dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(renderer, '.env'), SECRET);
  writeFileSync(join(tmp.dir, 'secret.txt'), SECRET);
  host = await startBrowserHost({
    dataDir: join(tmp.dir, 'data'),
    resourcesDir: join(ROOT, 'resources'),
    rendererDir: renderer,
    workerPath: join(FIXTURES, 'idle-worker.mjs'),
    poolSize: 1,
    version: 'test',
    token: 'Tk0-abcdefghijklmnopqrstuvwxyz_0123456789',
  });
});

afterAll(async () => {
  await host?.close();
  tmp?.remove();
  recordFigures({ suite: 'security: browser host', file: __filename, ...figures });
});

interface Raw {
  status: number;
  body: string;
  head: string;
}

/** Sends `request` as raw bytes (request line and headers as given) and reads the reply. */
function raw(request: string, address = '127.0.0.1'): Promise<Raw> {
  return new Promise((ok, fail) => {
    const socket = tcpConnect({ host: address, port: host.port }, () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (data += c));
    socket.on('error', fail);
    socket.on('close', () => {
      const [head, ...rest] = data.split('\r\n\r\n');
      ok({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: rest.join('\r\n\r\n') });
    });
  });
}

const get = (target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> =>
  raw(
    `${method} ${target} HTTP/1.1\r\n${Object.entries({ host: `127.0.0.1:${host.port}`, cookie: `cs_token=${host.token}`, connection: 'close', ...headers })
      .filter(([, v]) => v !== '')
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n`,
  );

function wsOpen(headers: Record<string, string>, path = '/ws'): Promise<WebSocket> {
  return new Promise((ok, fail) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}${path}`, { headers });
    ws.once('open', () => ok(ws));
    ws.once('unexpected-response', (_req, res) => fail(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', fail);
  });
}

/** The LISTEN sockets on `port` in the kernel's tables: [table, local address in hex]. */
function listeners(port: number): [string, string][] {
  const out: [string, string][] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [addr, portHex] = local.split(':');
      if (state === '0A' && parseInt(portHex, 16) === port) out.push([table, addr]);
    }
  }
  return out;
}

function refused(address: string, family: 4 | 6): Promise<boolean> {
  return new Promise((ok) => {
    const socket = tcpConnect({ host: address, port: host.port, family, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      ok(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      ok(true);
    });
    socket.once('error', () => ok(true));
  });
}

describe('where the browser host listens', () => {
  it('has exactly one listening socket, on 127.0.0.1 (none on 0.0.0.0 or IPv6)', () => {
    if (process.platform !== 'linux') return;
    expect(listeners(host.port)).toEqual([['/proc/net/tcp', '0100007F']]);
  });

  it('refuses connections on every other address of this machine, IPv4 and IPv6', async () => {
    const addresses = Object.values(networkInterfaces())
      .flat()
      .filter((a): a is NonNullable<typeof a> => !!a && a.address !== '127.0.0.1' && a.address !== '::1' && !a.address.startsWith('fe80'))
      .map((a) => [a.address, a.family === 'IPv6' ? 6 : 4] as const);
    // Not 0.0.0.0: Linux routes a connection to it to the loopback, where the host rightly answers
    // (the socket table above shows nothing listens on the wildcard address).
    const knocked = [...addresses, ['::1', 6] as const];
    for (const [address, family] of knocked) {
      figures.trials++;
      expect(await refused(address, family), `${address} accepted a connection`).toBe(true);
    }
    figures.notes.push(`nothing answered on ${knocked.map(([a]) => a).join(', ')}`);
  });
});

describe('who may talk to the browser host', () => {
  it('refuses every token that is not exactly ours, by query, header or cookie', async () => {
    const t = host.token;
    const wrong = ['', 'x', t.slice(0, -1), `${t}x`, t.toUpperCase(), ` ${t}`, t.replace(/./, (c) => (c === 'T' ? 'U' : 'T')), encodeURIComponent(`${t}\0`), '%00', 'null', 'undefined'];
    for (const w of wrong) {
      // Each door on its own, the others closed: the query, the cookie, the header. HTTP strips
      // the blanks around a header's value, so ` ${t}` by header is our token and not tried.
      const tries: [string, string, Record<string, string>][] = [
        ['query', `/?token=${encodeURIComponent(w)}`, { cookie: '' }],
        ['cookie', '/', { cookie: `cs_token=${encodeURIComponent(w)}` }],
      ];
      if (w.trim() !== t) tries.push(['header', '/', { cookie: '', 'x-clusterscope-token': w }]);
      for (const [door, target, headers] of tries) {
        const r = await get(target, headers);
        figures.trials++;
        expect(r.status, `token ${JSON.stringify(w)} by ${door}`).toBe(403);
        expect(r.body).not.toContain(t);
      }
    }
    expect((await get('/', { cookie: '', 'x-clusterscope-token': t })).status).toBe(200);
  });

  it('refuses any Host header but 127.0.0.1 or localhost with its port (DNS rebinding)', async () => {
    const p = host.port;
    const hosts = ['', '127.0.0.1', `127.0.0.1:${p + 1}`, `evil.example:${p}`, `127.0.0.1.nip.io:${p}`, `[::1]:${p}`, `0.0.0.0:${p}`, `localhost.evil.example:${p}`, `127.1:${p}`, `2130706433:${p}`, `127.0.0.1:${p}@evil.example`];
    for (const h of hosts) {
      const r = await get(`/?token=${host.token}`, { host: h });
      figures.trials++;
      expect([400, 403], `Host ${JSON.stringify(h)}`).toContain(r.status);
    }
    expect((await get('/', { host: `localhost:${p}` })).status).toBe(200);
  });

  it('refuses uploads and WebSockets from any origin but its own', async () => {
    const p = host.port;
    const origins = ['null', `http://127.0.0.1:${p + 1}`, `https://127.0.0.1:${p}`, `http://localhost.evil.example:${p}`, `http://127.0.0.1:${p}.evil.example`, 'file://', `http://127.0.0.1:${p}/`, `http://[::1]:${p}`];
    for (const origin of origins) {
      figures.trials += 2;
      const up = await get('/upload?name=x.csv', { origin, 'content-type': 'text/csv', 'content-length': '4' }, 'POST');
      expect(up.status, `upload from ${origin}`).toBe(403);
      await expect(wsOpen({ cookie: `cs_token=${host.token}`, origin }), `WebSocket from ${origin}`).rejects.toThrow(/403/);
    }
    const ws = await wsOpen({ cookie: `cs_token=${host.token}`, origin: `http://127.0.0.1:${p}` });
    ws.close();
  });

  it('answers other methods with 405, and with the token only', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT']) {
      const r = await get('/index.html', {}, method);
      figures.trials++;
      // CONNECT (a tunnel request) is never passed to the handler: Node closes the connection
      // without an answer (status 0 here), which refuses it as well.
      expect(method === 'CONNECT' ? [0, 400, 405] : [400, 405], method).toContain(r.status);
    }
    expect((await get('/index.html', { cookie: '' }, 'DELETE')).status).toBe(403);
  });

  it('serves its pages with the security headers and an HttpOnly, SameSite=Strict cookie', async () => {
    const r = await get(`/?token=${host.token}`);
    expect(r.status).toBe(200);
    const head = r.head.toLowerCase();
    for (const h of ["content-security-policy: default-src 'self'", 'x-content-type-options: nosniff', 'x-frame-options: deny', 'referrer-policy: no-referrer']) expect(head).toContain(h);
    expect(r.head).toMatch(/set-cookie: cs_token=[^;]+; Path=\/; HttpOnly; SameSite=Strict/i);
  });
});

describe('what the browser host serves', () => {
  const TRAVERSALS = [
    '/../secret.txt',
    '/../../secret.txt',
    '/..%2fsecret.txt',
    '/..%2Fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/.%2e/secret.txt',
    '/%2e./secret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..%5csecret.txt',
    '/%5c..%5csecret.txt',
    '/..\\secret.txt',
    '/assets/../../secret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/./../secret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/%c0%ae%c0%ae%c0%afsecret.txt',
    '/%e0%80%ae%e0%80%ae/secret.txt',
    '/%uff0e%uff0e/secret.txt',
    '/%ef%bc%8e%ef%bc%8e/secret.txt',
    '/..%u2216secret.txt',
    '/..%e2%88%96secret.txt',
    '/..%00/secret.txt',
    '/secret.txt%00.html',
    '/%00',
    '/..;/secret.txt',
    '/....//secret.txt',
    '/..../secret.txt',
    '/...//secret.txt',
    `/${'../'.repeat(24)}etc/passwd`,
    `/${'..%2f'.repeat(24)}etc%2fpasswd`,
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    '/%2f%2e%2e%2fsecret.txt',
    '/assets/app.js/../../../secret.txt',
    '/index.html/..%2f..%2fsecret.txt',
    '/.env',
    '/%2eenv',
    '/assets/../.env',
    '/.git/config',
    '../secret.txt',
    'secret.txt',
    `http://127.0.0.1:PORT/../secret.txt`,
    `http://evil.example/../secret.txt`,
  ];

  it(`never answers one of ${TRAVERSALS.length} traversal encodings with a file outside the renderer folder`, async () => {
    const etcPasswd = (() => {
      try {
        return readFileSync('/etc/passwd', 'utf8').split('\n')[0];
      } catch {
        return 'root:x:0:0';
      }
    })();
    const served: string[] = [];
    for (const t of TRAVERSALS) {
      const target = t.replace('PORT', String(host.port));
      const r = await get(target);
      figures.trials++;
      figures.faults++;
      if (r.body.includes(SECRET) || r.body.includes(etcPasswd)) served.push(`${target} → ${r.status}`);
      expect([400, 403, 404], `${target} → ${r.status}`).toContain(r.status);
    }
    expect(served).toEqual([]);
    figures.notes.push(`${TRAVERSALS.length} traversal encodings sent as raw request lines: all 400/403/404, nothing outside the folder`);
  });

  it('closes a WebSocket that sends malformed frames, and goes on serving', async () => {
    const origin = `http://127.0.0.1:${host.port}`;
    const frames: (string | Buffer)[] = [
      'a text frame',
      Buffer.from([1, 2, 3]),
      Buffer.from([0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0]),
      Buffer.concat([Buffer.from([5, 0, 0, 0]), Buffer.from('{"id"')]),
      Buffer.from(encodeMessage({ id: 'x', method: 'app.info', args: [] } as never)),
    ];
    for (const frame of frames) {
      const ws = await wsOpen({ cookie: `cs_token=${host.token}`, origin });
      const closed = new Promise<number>((ok) => ws.once('close', (code) => ok(code)));
      ws.send(frame);
      figures.trials++;
      figures.faults++;
      expect(await closed).toBe(1003);
    }
    // Prototype keys and unknown methods are plain errors in a reply, not crashes.
    const ws = await wsOpen({ cookie: `cs_token=${host.token}`, origin });
    const replies: unknown[] = [];
    ws.on('message', (d: Buffer) => replies.push(d));
    for (const method of ['__proto__', 'constructor', 'project.__proto__', 'toString', 'app.info.call']) ws.send(encodeMessage({ id: replies.length + 1, method, args: [] } as never));
    for (let i = 0; i < 200 && replies.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    expect(replies).toHaveLength(5);
    ws.close();
    expect((await get('/index.html')).status).toBe(200);
  });
});
