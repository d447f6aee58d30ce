import type { Kysely } from 'kysely';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import type { DB } from '../../db/schema.ts';

/** One problem in an imported file, located so that a person can find and fix it. */
export interface RowError {
  /** The worksheet, for Excel files. */
  sheet?: string;
  /** Feature number from 1 (GeoJSON) or the Excel row number with the header as row 1 (sheets). */
  row?: number;
  field?: string;
  message: string;
}

/** Collects every row error of an import, so the person sees all of them at once, not one per attempt. */
export class RowErrors {
  readonly list: RowError[] = [];

  add(error: RowError): void {
    this.list.push(error);
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Rows (per sheet) with at least one error. */
  get rowCount(): number {
    return new Set(this.list.map((e) => `${e.sheet ?? ''}:${e.row ?? ''}`)).size;
  }

  /**
   * Runs one row's writes; an AppError (a failed check in a service) becomes an error of that row.
   * Anything else is a real fault and aborts the whole import.
   */
  async attempt<T>(where: Omit<RowError, 'message'>, prefix: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.add({ ...where, message: `${prefix}: ${lowerFirst(err.message).replace(/\.$/, '')}` });
      return undefined;
    }
  }

  /** The error that aborts (and so rolls back) an import with errors. */
  failure(code: ErrorCode, noun: string, convention: string): AppError {
    const n = this.rowCount;
    // Checks run in several passes (cells, then the database), so put the list back in file order.
    const sheets = [...new Set(this.list.map((e) => e.sheet ?? ''))];
    const errors = [...this.list].sort((a, b) => sheets.indexOf(a.sheet ?? '') - sheets.indexOf(b.sheet ?? '') || (a.row ?? 0) - (b.row ?? 0));
    return new AppError(code, `${n} ${noun}${n === 1 ? ' has' : 's have'} errors; nothing was imported. ${convention}`, { errors });
  }
}

const lowerFirst = (s: string) => (/^[A-Z](?![A-Z])/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s);

const ROLLBACK = Symbol('dry-run rollback');

/**
 * Runs an import in one transaction, so nothing is half-imported: any error thrown inside rolls every
 * write back. A dry run does all the same work, then rolls back on purpose, so its report is exact.
 */
export async function importTransaction<T>(db: Kysely<DB>, dryRun: boolean, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  // A list rather than a nullable variable: TypeScript does not track assignments made inside the callback.
  const outcome: { value: T }[] = [];
  try {
    await db.transaction().execute(async (trx) => {
      outcome.push({ value: await work(trx) });
      if (dryRun) throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  const [result] = outcome;
  if (!result) throw new Error('the import transaction finished without a result');
  return result.value;
}
