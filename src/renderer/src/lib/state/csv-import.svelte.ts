/**
 * The CSV import dialog's state: choose a file (upload in the browser host, native dialog in the
 * desktop app), read the backend's preview, pick the feature columns and the label, import.
 * Every failure is kept in `error` with the backend's own message.
 */
import type { ClientApi } from '../../../../shared/api';
import type { CsvColumnDTO, CsvPreviewDTO, DatasetSummary, FileRef } from '../../../../shared/dto';
import { uploadFile } from '../api/websocket';
import { errorMessage } from '../format';

export type ImportPhase = 'choose' | 'reading' | 'preview' | 'importing';

/** Why a column cannot be a feature, or null when it can. */
export function disabledReason(c: CsvColumnDTO, labelColumn: number | null): string | null {
  if (c.index === labelColumn) return 'used as the label';
  if (c.numeric) return null;
  const ex = c.nonNumericExample;
  return ex ? `not numeric: "${ex.value}" on line ${ex.line}` : 'not numeric';
}

/** The label the importer would most likely want: a text column with few distinct values. */
function defaultLabel(cols: CsvColumnDTO[]): number | null {
  return cols.find((c) => c.isLabelCandidate && !c.numeric)?.index ?? null;
}

export class CsvImport {
  phase = $state<ImportPhase>('choose');
  error = $state<string | null>(null);
  fileName = $state<string | null>(null);
  preview = $state.raw<CsvPreviewDTO | null>(null);
  /** Chosen feature columns by index. */
  selected = $state<Record<number, boolean>>({});
  labelColumn = $state<number | null>(null);
  name = $state('');
  missing = $state<'error' | 'drop-rows'>('error');

  private file: FileRef | null = null;

  columns = $derived(this.preview?.columns ?? []);
  chosen = $derived(this.columns.filter((c) => this.selected[c.index] && disabledReason(c, this.labelColumn) === null).map((c) => c.index));
  labelCandidates = $derived(this.columns.filter((c) => c.isLabelCandidate));
  /** Missing cells in the columns that would be imported. */
  missingCells = $derived(
    this.columns.filter((c) => this.chosen.includes(c.index) || c.index === this.labelColumn).reduce((s, c) => s + c.missing, 0),
  );
  canImport = $derived(this.phase === 'preview' && this.chosen.length > 0 && this.name.trim() !== '');

  constructor(private readonly api: ClientApi) {}

  reset(): void {
    this.phase = 'choose';
    this.error = null;
    this.fileName = null;
    this.preview = null;
    this.selected = {};
    this.labelColumn = null;
    this.name = '';
    this.missing = 'error';
    this.file = null;
  }

  /** Browser host: upload the chosen file, then inspect it. */
  async upload(file: File): Promise<void> {
    this.begin(file.name);
    try {
      await this.inspect(await uploadFile(file));
    } catch (e) {
      this.fail(e);
    }
  }

  /** A file given before the dialog opened (dropped on the window): read it at once. */
  async open(ref: FileRef): Promise<void> {
    this.begin(ref.kind === 'path' ? (ref.path.split(/[\\/]/).pop() ?? ref.path) : ref.name);
    try {
      await this.inspect(ref);
    } catch (e) {
      this.fail(e);
    }
  }

  /** Desktop app: the native open dialog. */
  async pick(): Promise<void> {
    try {
      const ref = await this.api.files.pickOpen({ title: 'Open a table', extensions: ['csv', 'tsv', 'txt'] });
      if (!ref) return;
      this.begin(ref.kind === 'path' ? (ref.path.split(/[\\/]/).pop() ?? ref.path) : ref.name);
      await this.inspect(ref);
    } catch (e) {
      this.fail(e);
    }
  }

  private begin(name: string): void {
    this.reset();
    this.fileName = name;
    this.phase = 'reading';
  }

  private fail(e: unknown): void {
    this.error = errorMessage(e);
    this.phase = this.preview ? 'preview' : 'choose';
  }

  private async inspect(ref: FileRef): Promise<void> {
    const p = await this.api.data.inspectCsv(ref);
    this.file = ref;
    this.preview = p;
    this.labelColumn = defaultLabel(p.columns);
    this.selected = Object.fromEntries(p.columns.map((c) => [c.index, c.numeric && c.index !== this.labelColumn]));
    this.name = p.file.replace(/\.(csv|tsv|txt)$/i, '');
    this.phase = 'preview';
  }

  toggle(index: number, on: boolean): void {
    this.selected[index] = on;
  }

  setLabel(index: number | null): void {
    const before = this.labelColumn;
    this.labelColumn = index;
    if (index !== null) this.selected[index] = false;
    // A numeric column given back from the label role becomes a feature again.
    const back = this.columns.find((c) => c.index === before);
    if (back?.numeric && before !== index) this.selected[back.index] = true;
  }

  /** Imports; returns the new dataset, or null (with `error` set) when the backend refused. */
  async submit(): Promise<DatasetSummary | null> {
    if (!this.canImport || !this.file) return null;
    this.phase = 'importing';
    this.error = null;
    try {
      const ds = await this.api.data.importCsv({
        file: this.file,
        name: this.name.trim(),
        columns: this.chosen,
        labelColumn: this.labelColumn,
        missing: this.missing,
      });
      this.phase = 'preview';
      return ds;
    } catch (e) {
      this.fail(e);
      return null;
    }
  }
}
