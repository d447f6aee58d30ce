import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { loadConfig } from '../../config.ts';
import { AppError } from '../../core/errors.ts';
import { systemContext } from '../../core/scope.ts';
import { openDeps } from '../../server.ts';
import { PeopleService } from '../people/people.service.ts';
import { UsersService } from '../people/users.service.ts';
import { GridLocatorCache } from '../structure/locator.cache.ts';
import { StructureService } from '../structure/structure.service.ts';
import type { RowError } from './import.run.ts';
import { presentTreeExport } from './porting.presenter.ts';
import { PortingService } from './porting.service.ts';

/**
 * The `dualgrid import-*` and `export-*` commands. They run as the system administrator (no login on
 * the machine that holds the database), and print every row error so the file can be fixed in one go.
 */
/** A terminal full of errors helps nobody; the first ones usually show what is wrong with the whole file. */
const MAX_PRINTED = 200;

async function withPorting(run: (porting: PortingService) => Promise<void>): Promise<void> {
  const { deps, database } = await openDeps(loadConfig());
  try {
    await run(new PortingService(deps, new StructureService(deps, new GridLocatorCache(deps.db)), new PeopleService(deps), new UsersService(deps)));
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(`${err.code}: ${err.message}`);
    const errors = rowErrors(err.details);
    for (const e of errors.slice(0, MAX_PRINTED)) console.error(`  - ${e.message}`);
    if (errors.length > MAX_PRINTED) console.error(`  … and ${errors.length - MAX_PRINTED} more not shown`);
    process.exitCode = 1;
  } finally {
    await database.close();
  }
}

function rowErrors(details: unknown): RowError[] {
  if (typeof details !== 'object' || details === null || !('errors' in details) || !Array.isArray(details.errors)) return [];
  const errors: unknown[] = details.errors;
  return errors.filter((e): e is RowError => typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string');
}

const dryRunNote = (dryRun: boolean) => (dryRun ? ' (dry run: nothing was written)' : '');

export function importTreeFile(file: string, dryRun: boolean): Promise<void> {
  return withPorting(async (porting) => {
    let input: unknown;
    try {
      input = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      throw new Error(`${file} is not readable JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const r = await porting.importTree(systemContext('cli'), input, { dryRun });
    console.log(`created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}${dryRunNote(dryRun)}`);
  });
}

export function importPeopleFile(file: string, dryRun: boolean): Promise<void> {
  return withPorting(async (porting) => {
    // No declared type on the command line: the extension and the zip signature decide.
    const upload = async () => ({ filename: basename(file), mimetype: '', data: await readFile(file) });
    const r = await porting.importPeople(systemContext('cli'), upload, { dryRun });
    console.log(`residents ${r.residents}, staff ${r.staff}, new households ${r.households}, new buildings ${r.buildings}${dryRunNote(dryRun)}`);
  });
}

export function exportTreeFile(code: string, out: string | undefined): Promise<void> {
  return withPorting(async (porting) => {
    const tree = presentTreeExport(await porting.exportTree(systemContext('cli'), await porting.nodeIdByCode(code)));
    const text = `${JSON.stringify(tree, null, 2)}\n`;
    if (!out) {
      process.stdout.write(text);
      return;
    }
    await writeFile(out, text);
    console.error(`wrote ${tree.features.length} features to ${out}`);
  });
}

export function exportPeopleFile(code: string, out: string | undefined): Promise<void> {
  return withPorting(async (porting) => {
    const { data, filename } = await porting.exportPeople(systemContext('cli'), await porting.nodeIdByCode(code));
    // A workbook is binary, so it always goes to a file, never to the terminal.
    const target = out ?? filename;
    await writeFile(target, data);
    console.error(`wrote ${target} (phone and ID numbers masked)`);
  });
}
