/**
 * What each command of `shared/commands` does in the page, plus one "Go to …" command per view
 * of the registry and a "Show dataset" command the palette lists once per dataset. Everything is
 * registered in the one registry, so the palette, the keys and the desktop menu run the same
 * handlers.
 */
import type { ClientApi } from '../../../../shared/api';
import type { FileRef } from '../../../../shared/dto';
import { RUN_PREFIX } from '../../../../shared/commands';
import { ALGORITHMS, type AlgorithmName } from '../algorithm-form';
import { uploadFile } from '../api/websocket';
import { errorMessage } from '../format';
import { register } from '../state/commands.svelte';
import type { Shell } from '../state/shell.svelte';
import type { Workspace } from '../state/workspace.svelte';
import type { ViewDef } from '../../views/registry';
import { isTextField } from './focus';
import { describeNpy } from './drop';
import { DOCS_URL } from './links';
import { VIEW_TARGETS, viewTarget } from './palette';

export interface AppCommandDeps {
  ws: Workspace;
  shell: Shell;
  api: ClientApi;
  views: readonly ViewDef[];
}

/** Registers the app's commands; returns the function removing them all. */
export function installAppCommands({ ws, shell, api, views }: AppCommandDeps): () => void {
  const hasProject = (): boolean => ws.project !== null;
  const writable = (): boolean => ws.project !== null && !ws.project.readOnly;
  const hasDataset = (): boolean => ws.dataset !== null;
  const electron = (): boolean => ws.info?.host === 'electron';
  const info = (message: string): void => ws.notices.info(message);

  /** Undo / redo: the text field's own while one has the focus, else the dataset's labels and decisions. */
  async function history(which: 'undo' | 'redo'): Promise<void> {
    if (isTextField(document.activeElement)) {
      document.execCommand(which);
      return;
    }
    const id = ws.datasetId;
    if (!id) return;
    const step = await api.annotations[which](id);
    if (!step) return info(which === 'undo' ? 'Nothing to undo' : 'Nothing to redo');
    const what = step.target === 'label' ? 'labeling' : 'review decision';
    const n = step.rows.length;
    info(`${which === 'undo' ? 'Undid' : 'Redid'} a ${what} of ${n} sample${n === 1 ? '' : 's'}`);
  }

  function goToView(command: string): void {
    const id = viewTarget(command, views);
    if (id) return ws.showView(id);
    if (command === 'view.data') {
      // No data view: the datasets list is where the data is.
      document.querySelector<HTMLElement>('[data-tour="datasets"] [aria-current="true"], [data-tour="datasets"] button')?.focus();
      return;
    }
    info(`This version has no ${command.slice('view.'.length)} view yet`);
  }

  function runAlgorithm(algorithm: AlgorithmName): void {
    ws.showView('clusters');
    ws.setAlgorithm(algorithm);
    // The form is drawn on the next frame: then the keyboard goes to its first field.
    requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="algorithm-form"] .grid :is(input, select)')?.focus());
  }

  /** A `.npy` chosen in a dialog (desktop app) or a file input (browser host), imported at once. */
  async function importNpy(): Promise<void> {
    let file: { ref: FileRef; name: string } | null = null;
    if (electron()) {
      const ref = await api.files.pickOpen({ title: 'Import a NumPy array', extensions: ['npy'] });
      if (ref) file = { ref, name: ref.kind === 'path' ? (ref.path.split(/[\\/]/).pop() ?? ref.path) : ref.name };
    } else {
      const picked = await pickFile('.npy');
      if (picked) file = { ref: await uploadFile(picked), name: picked.name };
    }
    if (!file) return;
    const r = await api.data.importNpy({ file: file.ref });
    await ws.addDataset(r.dataset);
    info(`Imported ${describeNpy(file.name, r)}`);
  }

  const offs = [
    register('project.new', () => ws.newProject()),
    register('project.open', () => (electron() ? ws.pickProject() : shell.openPalette('recent'))),
    register('project.openRecent', ({ args }) => (typeof args[0] === 'string' ? ws.openProject(args[0]) : shell.openPalette('recent'))),
    register('project.openSample', () => ws.openSample()),
    register('data.importCsv', () => shell.openImport(), { when: writable }),
    register('data.importNpy', () => importNpy(), { title: 'Import NumPy Array (.npy)…', group: 'File', when: writable }),
    register(
      'project.save',
      () => {
        if (ws.project?.untitled) return void (shell.closeDialogs(), (shell.saveOpen = true));
        info(`${ws.project?.name ?? 'The project'} is saved: every change is saved as it is made`);
      },
      { when: hasProject },
    ),
    register('project.saveAs', () => void (shell.closeDialogs(), (shell.saveOpen = true)), { when: hasProject }),
    register(
      'project.close',
      async () => {
        try {
          await api.project.close();
        } catch (e) {
          ws.notices.error(`Could not close the project: ${errorMessage(e)}`);
        }
      },
      { when: hasProject },
    ),
    register('edit.undo', () => history('undo')),
    register('edit.redo', () => history('redo')),
    register('app.preferences', () => void (shell.closeDialogs(), (shell.prefsOpen = true))),
    register('view.commandPalette', () => (shell.paletteOpen ? (shell.paletteOpen = false) : shell.openPalette())),
    // The palette offers "Go to …" for every view (with these commands' keys); View › Data has no view.
    ...Object.keys(VIEW_TARGETS).map((id) => register(id, () => goToView(id), { when: hasDataset, palette: id === 'view.data' })),
    register('view.fullScreen', async () => {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    }),
    ...ALGORITHMS.map((a) => register(`${RUN_PREFIX}${a}`, () => runAlgorithm(a), { when: hasDataset })),
    register('run.cancelAll', () => Promise.all(ws.jobs.active.map((j) => ws.cancelJob(j.id))), { when: () => ws.jobs.active.length > 0 }),
    register('help.tour', () => void (shell.closeDialogs(), shell.tour.start()), { when: hasDataset }),
    register('help.shortcuts', () => void (shell.closeDialogs(), (shell.shortcutsOpen = true))),
    register('help.docs', () => void window.open(DOCS_URL, '_blank', 'noopener')),
    register('help.about', () => void (shell.closeDialogs(), (shell.aboutOpen = true))),
    // Platform actions: listed for the shortcuts sheet, performed by the platform itself.
    ...['edit.cut', 'edit.copy', 'edit.paste', 'edit.selectAll', 'view.zoomIn', 'view.zoomOut', 'view.resetZoom', 'app.quit'].map((id) => register(id, () => {})),
    ...views.map((v) => register(`goto.${v.id}`, () => ws.showView(v.id), { title: `Go to ${v.title}`, group: 'Go to', when: hasDataset })),
    register(
      'dataset.show',
      ({ args }) => {
        if (typeof args[0] === 'string') return ws.selectDataset(args[0]);
      },
      { title: 'Show Dataset', group: 'Datasets', palette: false, when: hasProject },
    ),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** The browser's file chooser for one file (needs a user's gesture: a key or a click ran the command). */
function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => resolve(null), { once: true });
    input.click();
  });
}
