import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createPreloadApi, ipcTransport, type RendererIpc } from '../../../src/preload/bridge';
import { API_EVENTS, API_METHODS, ApiError, CHANNEL_PREFIX, EVENT_CHANNEL, type MethodPath } from '../../../src/shared/api';

/** An ipcRenderer that records what is sent and lets the test push events. */
function fakeIpc(reply: (channel: string, args: unknown[]) => unknown = () => ({ ok: true, result: null })) {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => reply(channel, args)),
    on: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    }),
    removeListener: vi.fn((channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      listeners.get(channel)?.delete(listener);
    }),
    send: vi.fn(),
    sendSync: vi.fn(),
  } satisfies RendererIpc & Record<string, unknown>;
  /** What Electron passes a listener: an IpcRendererEvent whose `sender` is ipcRenderer. */
  const ipcEvent = { sender: ipc, senderId: 0, ports: [] };
  const push = (channel: string, ...args: unknown[]): void => {
    for (const l of listeners.get(channel) ?? []) l(ipcEvent, ...args);
  };
  return { ipc, push, listeners };
}

/** Every value reachable from `root` (own properties, through objects and functions). */
function reachable(root: unknown): unknown[] {
  const seen = new Set<unknown>();
  const walk = (v: unknown): void => {
    if ((typeof v !== 'object' && typeof v !== 'function') || v === null || seen.has(v)) return;
    seen.add(v);
    for (const key of Reflect.ownKeys(v as object)) {
      const d = Object.getOwnPropertyDescriptor(v, key);
      if (d && 'value' in d) walk(d.value);
    }
  };
  walk(root);
  return [...seen];
}

describe('the preload bridge', () => {
  it('exposes exactly the namespaces of the API, the event subscription and pathForFile', () => {
    const api = createPreloadApi(fakeIpc().ipc, () => '');
    expect(Object.keys(api).sort()).toStrictEqual([...Object.keys(API_METHODS), 'on', 'pathForFile'].sort());
    expect(Reflect.ownKeys(api).filter((k) => typeof k === 'symbol')).toStrictEqual([]);
    expect(typeof api.on).toBe('function');
    expect(typeof api.pathForFile).toBe('function');
  });

  it('exposes exactly the methods of each namespace, as functions', () => {
    const api = createPreloadApi(fakeIpc().ipc, () => '') as unknown as Record<string, Record<string, unknown>>;
    for (const [ns, names] of Object.entries(API_METHODS)) {
      expect(Reflect.ownKeys(api[ns]!).sort(), ns).toStrictEqual([...names].sort());
      for (const name of names) expect(typeof api[ns]![name], `${ns}.${name}`).toBe('function');
    }
  });

  it('can be neither changed nor extended by the page', () => {
    const api = createPreloadApi(fakeIpc().ipc, () => '') as unknown as Record<string, unknown>;
    expect(Object.isFrozen(api)).toBe(true);
    for (const ns of Object.keys(API_METHODS)) expect(Object.isFrozen(api[ns]), ns).toBe(true);
  });

  it('gives the page no way to ipcRenderer, require or process', () => {
    const { ipc } = fakeIpc();
    const api = createPreloadApi(ipc, () => '');
    const values = reachable(api);
    expect(values).not.toContain(ipc);
    for (const fn of [ipc.invoke, ipc.on, ipc.removeListener, ipc.send, ipc.sendSync]) expect(values).not.toContain(fn);
    for (const v of values) expect(v === process || v === globalThis || (typeof require !== 'undefined' && v === require)).toBe(false);
    const keys = values.flatMap((v) => Reflect.ownKeys(v as object)).map(String);
    for (const banned of ['ipcRenderer', 'require', 'process', 'send', 'sendSync', 'invoke', 'removeAllListeners']) expect(keys, banned).not.toContain(banned);
  });

  it('sends each method on its own cs: channel with its arguments, and returns the reply', async () => {
    const { ipc } = fakeIpc((channel, args) => ({ ok: true, result: { channel, args } }));
    const api = createPreloadApi(ipc, () => '');
    await expect(api.project.open('/tmp/a.clusterscope')).resolves.toStrictEqual({ channel: 'cs:project.open', args: ['/tmp/a.clusterscope'] });
    await expect(api.jobs.cancel('j1')).resolves.toStrictEqual({ channel: 'cs:jobs.cancel', args: ['j1'] });
    const channels = ipc.invoke.mock.calls.map((c) => c[0]);
    expect(channels.every((c) => c.startsWith(CHANNEL_PREFIX))).toBe(true);
  });

  it('turns a refusal into an ApiError with its code', async () => {
    const { ipc } = fakeIpc(() => ({ ok: false, error: { name: 'ApiError', message: 'refused: unknown sender', code: 'forbidden' } }));
    const api = createPreloadApi(ipc, () => '');
    const err = await api.app.info().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ message: 'refused: unknown sender', code: 'forbidden' });
  });

  it('sends nothing for a method outside the contract', async () => {
    const { ipc } = fakeIpc();
    const transport = ipcTransport(ipc);
    for (const bad of ['event', 'project', 'project.open.x', '../cs:event', 'constructor', '__proto__.x', 'project.__proto__']) {
      await expect(transport.invoke(bad as MethodPath, [])).rejects.toThrow(ApiError);
    }
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('hands events to listeners without the IPC event (whose sender is ipcRenderer)', () => {
    const { ipc, push } = fakeIpc();
    const api = createPreloadApi(ipc, () => '');
    expect(ipc.on).toHaveBeenCalledOnce();
    expect(ipc.on.mock.calls[0]![0]).toBe(EVENT_CHANNEL);
    const listener = vi.fn();
    const off = api.on('job:progress', listener);
    push(EVENT_CHANNEL, 'job:progress', { jobId: 'j', progress: 0.5, message: null });
    push(EVENT_CHANNEL, 'job:done', { id: 'j' });
    push('cs:other', 'job:progress', { jobId: 'x', progress: 1, message: null });
    expect(listener.mock.calls).toStrictEqual([[{ jobId: 'j', progress: 0.5, message: null }]]);
    off();
    push(EVENT_CHANNEL, 'job:progress', { jobId: 'j', progress: 1, message: null });
    expect(listener).toHaveBeenCalledOnce();
    // An event without a payload still does not reach the page with the IPC event in its place.
    const bare = vi.fn();
    api.on('project:changed', bare);
    push(EVENT_CHANNEL, 'project:changed');
    expect(bare.mock.calls).toStrictEqual([[undefined]]);
  });

  it('subscribes only to the events of the contract', () => {
    const api = createPreloadApi(fakeIpc().ipc, () => '');
    for (const event of API_EVENTS) expect(() => api.on(event, () => {})).not.toThrow();
    expect(() => api.on('cs:anything' as never, () => {})).toThrow(ApiError);
  });

  it('asks the given function for a dropped file’s path', () => {
    const pathForFile = vi.fn(() => '/home/me/data.csv');
    const api = createPreloadApi(fakeIpc().ipc, pathForFile);
    const file = new Blob(['x']);
    expect(api.pathForFile!(file)).toBe('/home/me/data.csv');
    expect(pathForFile).toHaveBeenCalledExactlyOnceWith(file);
  });

  describe('the preload entry', () => {
    const source = readFileSync(join(__dirname, '../../../src/preload/index.ts'), 'utf8');

    it("exposes one object, as 'api', built by the bridge", () => {
      expect(source.match(/exposeInMainWorld\s*\(/g)).toHaveLength(1);
      expect(source).toMatch(/contextBridge\.exposeInMainWorld\(\s*'api',\s*createPreloadApi\(ipcRenderer, /);
      expect(source).not.toMatch(/exposeInIsolatedWorld|contextBridge\s*\[/);
    });

    it('passes ipcRenderer only to the bridge, never to the page', () => {
      const uses = [...source.matchAll(/\bipcRenderer\b/g)].map((m) => source.slice(Math.max(0, m.index - 30), m.index + 20));
      // The import, and the argument to createPreloadApi.
      expect(uses).toHaveLength(2);
      expect(uses[0]).toMatch(/import \{[^}]*ipcRenderer/);
      expect(uses[1]).toMatch(/createPreloadApi\(ipcRenderer, /);
    });
  });
});
