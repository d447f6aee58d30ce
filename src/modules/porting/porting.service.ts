import { AppError, notFound } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import type { AppDeps } from '../../deps.ts';
import { appendAudit } from '../audit/audit.repository.ts';
import { residentReadScope } from '../people/people.policy.ts';
import type { PeopleService } from '../people/people.service.ts';
import type { UsersService } from '../people/users.service.ts';
import * as structureRepo from '../structure/structure.repository.ts';
import type { StructureService } from '../structure/structure.service.ts';
import { importTransaction, RowErrors } from './import.run.ts';
import { buildPeopleWorkbook } from './people.export.ts';
import { type PeopleCounts, PeopleImporter } from './people.import.ts';
import { parseResidentRows, parseStaffRows } from './people.rows.ts';
import {
  openWorkbook, readSheet, RESIDENT_COLUMNS, RESIDENTS_SHEET, ROW_CONVENTION, STAFF_COLUMNS, STAFF_SHEET, type Upload,
} from './people.workbook.ts';
import { assertMayExport, assertMayImport } from './porting.policy.ts';
import * as repo from './porting.repository.ts';
import { applyFeatures, FEATURE_CONVENTION, readFeatures, type TreeCounts } from './tree.import.ts';

export interface ImportOptions { dryRun: boolean }

/**
 * Bulk import and export of the tree (GeoJSON) and of people (Excel). Imports are all-or-nothing:
 * every row is checked, every problem is reported at once, and any problem rolls the whole file back.
 */
export class PortingService {
  constructor(
    private readonly deps: AppDeps,
    private readonly structure: StructureService,
    private readonly people: PeopleService,
    private readonly users: UsersService,
  ) {}

  async importTree(ctx: RequestContext, input: unknown, options: ImportOptions): Promise<TreeCounts & { dryRun: boolean }> {
    assertMayImport(ctx.actor);
    const errors = new RowErrors();
    const file = readFeatures(input, errors);
    const counts = await importTransaction(this.deps.db, options.dryRun, async (trx) => {
      // Valid features are still applied when others failed, so one response lists every problem.
      const counts = await applyFeatures(trx, ctx, this.structure, file, errors);
      if (!errors.empty) throw errors.failure(file.geojsonBroken ? 'INVALID_GEOJSON' : 'IMPORT_FAILED', 'feature', FEATURE_CONVENTION);
      await appendAudit(trx, ctx, { action: 'tree.import', subjectType: 'node', details: { ...counts, features: file.rows.length } });
      return counts;
    });
    return { ...counts, dryRun: options.dryRun };
  }

  /** The rows of a subtree for its GeoJSON export (porting.presenter.ts), parents' codes included. */
  async exportTree(ctx: RequestContext, nodeId: number) {
    const node = await this.structure.requireNode(nodeId);
    assertMayExport(ctx.actor, node.path);
    return repo.subtreeWithParents(this.deps.db, node.path);
  }

  /** `upload` is read only after the caller is known to be an administrator. */
  async importPeople(ctx: RequestContext, upload: () => Promise<Upload>, options: ImportOptions): Promise<PeopleCounts & { dryRun: boolean }> {
    assertMayImport(ctx.actor);
    const file = await upload();
    const workbook = await openWorkbook(file);
    const residentSheet = workbook.getWorksheet(RESIDENTS_SHEET);
    const staffSheet = workbook.getWorksheet(STAFF_SHEET);
    if (!residentSheet && !staffSheet) {
      throw new AppError('IMPORT_FAILED', `The workbook has no sheet named ${RESIDENTS_SHEET} (residents) or ${STAFF_SHEET} (staff); nothing was imported.`, {
        errors: [{ message: `sheets found: ${workbook.worksheets.map((s) => s.name).join(', ') || 'none'}` }],
      });
    }
    const errors = new RowErrors();
    const residents = residentSheet ? parseResidentRows(readSheet(residentSheet, RESIDENTS_SHEET, RESIDENT_COLUMNS, ['网格编码', '姓名'], errors), errors) : [];
    const staff = staffSheet ? parseStaffRows(readSheet(staffSheet, STAFF_SHEET, STAFF_COLUMNS, ['用户名', '姓名', '角色', '范围编码'], errors), errors) : [];
    const counts = await importTransaction(this.deps.db, options.dryRun, async (trx) => {
      const importer = new PeopleImporter(trx, ctx, this.people, this.users, errors);
      await importer.residents(residents);
      await importer.staff(staff);
      if (!errors.empty) throw errors.failure('IMPORT_FAILED', 'row', ROW_CONVENTION);
      await appendAudit(trx, ctx, { action: 'people.import', subjectType: 'node', details: { ...importer.counts, file: file.filename } });
      return importer.counts;
    });
    return { ...counts, dryRun: options.dryRun };
  }

  /** The people of a subtree as .xlsx, numbers masked; the export itself is audited before the file leaves. */
  async exportPeople(ctx: RequestContext, nodeId: number): Promise<{ data: Buffer; filename: string }> {
    const node = await this.structure.requireNode(nodeId);
    assertMayExport(ctx.actor, node.path);
    const { prefixes } = residentReadScope(ctx.actor);
    const { data, residents, staff } = await buildPeopleWorkbook(this.deps.db, { under: node.path, prefixes });
    await appendAudit(this.deps.db, ctx, { action: 'people.export', subjectType: 'node', subjectId: node.id, details: { code: node.code, residents, staff } });
    return { data, filename: `people-${node.code}.xlsx` };
  }

  /** The CLI names nodes by code, as people do. */
  async nodeIdByCode(code: string): Promise<number> {
    const node = await structureRepo.getNodeByCode(this.deps.db, code);
    if (!node) throw notFound(`A node with code ${code}`);
    return node.id;
  }
}
