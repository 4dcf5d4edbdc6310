import { describe, expect, it } from 'vitest';
import { isProjectFile, leadingArgCount, OpenQueue, parseForwardedLaunch, projectFilesFromArgv } from '../../../src/main/electron/open-files';

const packaged = { cwd: '/home/ana', skip: leadingArgCount(false) };
const dev = { cwd: '/work/main', skip: leadingArgCount(true) };

describe('project files handed to the app', () => {
  it('skips the executable, and in development the app folder too', () => {
    expect(leadingArgCount(false)).toBe(1);
    expect(leadingArgCount(true)).toBe(2);
    expect(projectFilesFromArgv(['/opt/Clusterscope/clusterscope', '/data/a.clusterscope'], packaged)).toEqual(['/data/a.clusterscope']);
    // `electron .` : the '.' is the app, not a file to open.
    expect(projectFilesFromArgv(['/x/electron', '.', 'b.clusterscope'], dev)).toEqual(['/work/main/b.clusterscope']);
  });

  it('resolves relative paths against the launching process’s folder', () => {
    expect(projectFilesFromArgv(['exe', 'p/q.clusterscope', '../r.clusterscope'], packaged)).toEqual(['/home/ana/p/q.clusterscope', '/home/r.clusterscope']);
    expect(projectFilesFromArgv(['exe', 'q.clusterscope'], { cwd: '/other', skip: 1 })).toEqual(['/other/q.clusterscope']);
  });

  it('ignores switches (Chromium’s, the inspector’s, macOS’s process serial number) unless they follow --', () => {
    const argv = ['exe', '--no-sandbox', '--inspect=9229', '-psn_0_12345', '--allow-file-access-from-files', 'a.clusterscope', '--', '-odd.clusterscope'];
    expect(projectFilesFromArgv(argv, packaged)).toEqual(['/home/ana/a.clusterscope', '/home/ana/-odd.clusterscope']);
  });

  it('keeps only project files, whatever the case of the extension', () => {
    const argv = ['exe', 'table.csv', 'faces.npy', 'x.clusterscope.bak', 'Big.CLUSTERSCOPE', '/etc/passwd'];
    expect(projectFilesFromArgv(argv, packaged)).toEqual(['/home/ana/Big.CLUSTERSCOPE']);
    expect(isProjectFile('/a/b.Clusterscope')).toBe(true);
    expect(isProjectFile('/a/clusterscope')).toBe(false);
  });

  it('turns file:// URLs (Linux file managers) into paths, decoding escapes', () => {
    expect(projectFilesFromArgv(['exe', 'file:///home/ana/My%20Project.clusterscope'], packaged)).toEqual(['/home/ana/My Project.clusterscope']);
    expect(projectFilesFromArgv(['exe', 'file://remote-host/share/x.clusterscope'], packaged)).toEqual([]);
  });

  it('lists each file once, in the order given', () => {
    expect(projectFilesFromArgv(['exe', 'b.clusterscope', 'a.clusterscope', './b.clusterscope'], packaged)).toEqual(['/home/ana/b.clusterscope', '/home/ana/a.clusterscope']);
  });

  describe('a second launch’s forwarded files', () => {
    it('are read from the data it sent, keeping absolute project paths only', () => {
      expect(parseForwardedLaunch({ files: ['/a/x.clusterscope', 'rel.clusterscope', '/a/t.csv', 7] })).toEqual({ files: ['/a/x.clusterscope'] });
      expect(parseForwardedLaunch({ files: [] })).toEqual({ files: [] });
    });

    it('are absent when the data is not ours', () => {
      for (const d of [undefined, null, 'x', {}, { files: 'x.clusterscope' }]) expect(parseForwardedLaunch(d)).toBeNull();
    });
  });

  describe('the queue of files arriving before the app is ready', () => {
    it('holds files until started, then delivers them in order and passes later ones straight through', () => {
      const q = new OpenQueue();
      const opened: string[] = [];
      q.push('/a.clusterscope');
      q.push('/b.clusterscope');
      expect(opened).toEqual([]);
      q.start((p) => opened.push(p));
      expect(opened).toEqual(['/a.clusterscope', '/b.clusterscope']);
      q.push('/c.clusterscope');
      expect(opened).toEqual(['/a.clusterscope', '/b.clusterscope', '/c.clusterscope']);
    });

    it('gives up its held files to drain, so start-up can open only the last', () => {
      const q = new OpenQueue();
      q.push('/a.clusterscope');
      q.push('/b.clusterscope');
      expect(q.drain()).toEqual(['/a.clusterscope', '/b.clusterscope']);
      const opened: string[] = [];
      q.start((p) => opened.push(p));
      expect(opened).toEqual([]);
    });
  });
});
