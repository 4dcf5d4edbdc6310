import { describe, expect, it } from 'vitest';
import { DEFAULT_BUDGET_BYTES, MIB, checkBudget, formatMiB, product } from '../../../../src/main/backend/importers/budget';
import { ImportError } from '../../../../src/main/backend/importers/errors';

describe('ImportError', () => {
  it('names the file, the line and the problem in one sentence', () => {
    const e = new ImportError('iris.csv', 'ragged-row', 'expected 5 fields, found 4', { line: 7 });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ImportError');
    expect(e.message).toBe('iris.csv, line 7: expected 5 fields, found 4');
    expect({ file: e.file, code: e.code, line: e.line, column: e.column }).toEqual({ file: 'iris.csv', code: 'ragged-row', line: 7, column: undefined });
  });

  it('quotes a column name and numbers a column position', () => {
    expect(new ImportError('a.csv', 'non-numeric', '"x" is not a number', { line: 3, column: 'width' }).message).toBe(
      'a.csv, line 3, column "width": "x" is not a number',
    );
    expect(new ImportError('a.csv', 'non-numeric', 'bad', { line: 3, column: 2 }).message).toBe('a.csv, line 3, column 2: bad');
    expect(new ImportError('a.npy', 'truncated', 'short').message).toBe('a.npy: short');
  });
});

describe('checkBudget', () => {
  it('passes sizes within the budget, 2 GiB by default', () => {
    expect(DEFAULT_BUDGET_BYTES).toBe(2 * 1024 * MIB);
    expect(() => checkBudget('f', DEFAULT_BUDGET_BYTES)).not.toThrow();
    expect(() => checkBudget('f', 10 * MIB, 10 * MIB)).not.toThrow();
  });

  it('fails with too-large and both sizes in MiB', () => {
    const e = (() => {
      try {
        checkBudget('big.npy', 3 * 1024 * MIB);
      } catch (err) {
        return err as ImportError;
      }
    })()!;
    expect(e.code).toBe('too-large');
    expect(e.file).toBe('big.npy');
    expect(e.message).toContain('3,072 MiB');
    expect(e.message).toContain('2,048 MiB');
    expect(() => checkBudget('x', 1.5 * MIB, MIB)).toThrow(/1\.5 MiB.*1\.0 MiB/);
  });

  it('rejects sizes that overflowed to infinity or NaN', () => {
    expect(() => checkBudget('x', product([4e9, 4e9, 4e9, 4e9, 4e9, 4e9, 4e9, 4e9, 4e9]) * 8)).toThrow(ImportError);
    expect(() => checkBudget('x', Infinity)).toThrow(/unbounded/);
    expect(() => checkBudget('x', NaN)).toThrow(ImportError);
  });

  it('formats small and large sizes readably', () => {
    expect(formatMiB(512 * 1024)).toBe('0.500 MiB');
    expect(formatMiB(300 * MIB)).toBe('300 MiB');
  });
});
