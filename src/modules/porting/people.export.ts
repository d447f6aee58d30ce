import ExcelJS from 'exceljs';
import type { Worksheet } from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { RESIDENT_COLUMNS, RESIDENTS_SHEET, ROLE_LABELS, STAFF_COLUMNS, STAFF_SHEET } from './people.workbook.ts';
import * as repo from './porting.repository.ts';

const PAGE = 1000;
const GENDER_LABELS = { M: '男', F: '女' } as const;
const EMPLOYMENT_LABELS = { full_time: '专职', part_time: '兼职' } as const;
// Codes and numbers stay text, so Excel neither drops leading digits nor shows them as 5.00105E+14.
const TEXT_COLUMNS: Record<string, readonly number[]> = { [RESIDENTS_SHEET]: [1, 9, 10], [STAFF_SHEET]: [1, 3, 5] };

/**
 * The people of a subtree in the import's layout. Phone and ID numbers are written MASKED only
 * (138****5678): an export is a copy of personal information leaving the system (PIPL), so full numbers
 * never go into a file. Re-importing such a file therefore fails row by row ("手机号 138****5678 is masked")
 * — that is intended: the file is for reading and checking; people are imported from the source data.
 */
export async function buildPeopleWorkbook(db: Kysely<DB>, q: { under: string; prefixes: string[] }): Promise<{ data: Buffer; residents: number; staff: number }> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'dualgrid';
  const residents = addSheet(workbook, RESIDENTS_SHEET, RESIDENT_COLUMNS);
  let count = 0;
  for (let afterId = 0; ;) {
    const rows = await repo.residentsForExport(db, { ...q, afterId, limit: PAGE });
    for (const r of rows) {
      residents.addRow([r.grid_code, r.building ?? '', r.unit ?? '', r.room ?? '', r.population ?? '', r.name,
        r.gender ? GENDER_LABELS[r.gender] : '', r.birth_date ?? '', r.phone_masked ?? '', r.id_number_masked ?? '']);
    }
    count += rows.length;
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) break;
    afterId = last.id;
  }
  const staff = addSheet(workbook, STAFF_SHEET, STAFF_COLUMNS);
  const roles = await repo.staffForExport(db, q.under);
  for (const a of roles) {
    staff.addRow([a.username, a.display_name, a.phone_masked ?? '', ROLE_LABELS[a.role], a.code, a.ab_slot ?? '', a.employment ? EMPLOYMENT_LABELS[a.employment] : '']);
  }
  return { data: Buffer.from(await workbook.xlsx.writeBuffer()), residents: count, staff: roles.length };
}

function addSheet(workbook: ExcelJS.Workbook, name: string, columns: readonly string[]): Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((header) => ({ header, width: Math.max(16, header.length * 3) }));
  for (const i of TEXT_COLUMNS[name] ?? []) sheet.getColumn(i).numFmt = '@';
  sheet.getRow(1).font = { bold: true };
  return sheet;
}
