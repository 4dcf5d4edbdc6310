/** Shared bits of the importer tests: fixture loading and catching the ImportError a call throws. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { ImportError } from '../../../../src/main/backend/importers/errors';
import { FIXTURES } from './writers';

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(FIXTURES + name));
}

export function fixturePath(name: string): string {
  return FIXTURES + name;
}

/** The ImportError `run` throws; fails the test when it throws anything else or nothing. */
export function importError(run: () => unknown): ImportError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError, nothing was thrown');
}

/** The ImportError a promise rejects with. */
export async function importErrorAsync(run: () => Promise<unknown>): Promise<ImportError> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError, the promise resolved');
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
