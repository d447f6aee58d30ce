import type { z } from 'zod';
import type { Role } from '../../core/vocabulary.ts';
import { roleSchema } from '../access/access.schema.ts';
import { createResidentBody, createUserBody } from '../people/people.schema.ts';
import { createBuildingBody, createHouseholdBody } from '../structure/structure.schema.ts';
import type { RowErrors } from './import.run.ts';
import {
  cellText, isLossyNumber, RESIDENTS_SHEET, type ResidentColumn, ROLE_LABELS, type SheetRow, STAFF_SHEET, type StaffColumn,
} from './people.workbook.ts';

// The same rules as the single-record endpoints, so a sheet cannot hold what the forms would refuse.
const residentFields = createResidentBody.pick({ name: true, gender: true, birthDate: true, phone: true, idNumber: true });
const staffFields = createUserBody.pick({ username: true, displayName: true, phone: true });
const RESIDENT_FIELD_COLUMNS: Record<string, ResidentColumn> = { name: '姓名', gender: '性别(男/女)', birthDate: '出生日期', phone: '手机号', idNumber: '身份证号' };
const STAFF_FIELD_COLUMNS: Record<string, StaffColumn> = { username: '用户名', displayName: '姓名', phone: '手机号' };
const GENDERS: Record<string, 'M' | 'F'> = { 男: 'M', 女: 'F', M: 'M', F: 'F' };
const EMPLOYMENT: Record<string, 'full_time' | 'part_time'> = { 专职: 'full_time', 兼职: 'part_time', full_time: 'full_time', part_time: 'part_time' };
/** Roles tied to a board, post, department, building or unit, none of which a node code names. */
const TIED_ROLES: readonly Role[] = ['board_lead', 'post_handler', 'department_handler', 'building_head', 'unit_head'];
const ROLE_BY_NAME = new Map<string, Role>([
  ...roleSchema.options.map((r): [string, Role] => [r, r]),
  ...roleSchema.options.map((r): [string, Role] => [ROLE_LABELS[r], r]),
]);

export interface ResidentRow {
  row: number;
  gridCode: string;
  building: string | null;
  unit: string | null;
  room: string;
  population: number | null;
  person: z.infer<typeof residentFields>;
}

export interface StaffRow {
  row: number;
  account: z.infer<typeof staffFields>;
  role: Role;
  scopeCode: string;
  abSlot?: 'A' | 'B';
  employment?: 'full_time' | 'part_time';
}

type Reporter<C extends string> = (column: C | undefined, message: string) => void;

function reporter<C extends string>(errors: RowErrors, sheet: string, row: number): Reporter<C> {
  return (column, message) => errors.add({ sheet, row, field: column, message: `${sheet} row ${row}: ${column ? `${column} ` : ''}${message}` });
}

function zodProblems<C extends string>(error: z.ZodError, columns: Record<string, C>, report: Reporter<C>): void {
  for (const issue of error.issues) report(columns[String(issue.path[0])], issue.message);
}

/** Step 1 for the 居民 sheet, no database: every cell checked, every problem collected. */
export function parseResidentRows(rows: SheetRow<ResidentColumn>[], errors: RowErrors): ResidentRow[] {
  const parsed: ResidentRow[] = [];
  const idRows = new Map<string, number>();
  for (const { row, cells } of rows) {
    const report = reporter<ResidentColumn>(errors, RESIDENTS_SHEET, row);
    const before = errors.list.length;
    const text = (c: ResidentColumn) => cellText(cells.get(c) ?? null);
    const gridCode = text('网格编码');
    if (!gridCode) report('网格编码', 'is required: the 15-digit grid (or 18-digit micro-grid) code');
    else if (isLossyNumber(cells.get('网格编码') ?? null)) report('网格编码', 'was stored by Excel as a number and lost digits; format the column as Text and type the codes again');
    else if (!/^\d{15}(\d{3})?$/.test(gridCode)) report('网格编码', `${gridCode} is not a grid code: 15 digits for a grid, 18 for a micro-grid`);
    const building = text('楼栋') || null;
    const unit = text('单元') || null;
    if (unit && !building) report('单元', 'needs the 楼栋 (building) it belongs to');
    for (const [column, value] of [['楼栋', building], ['单元', unit]] as const) {
      const check = value === null ? null : createBuildingBody.shape.name.safeParse(value);
      if (check && !check.success) report(column, check.error.issues[0]?.message ?? 'is not valid');
    }
    const room = createHouseholdBody.shape.room.safeParse(text('房号'));
    if (!room.success) report('房号', room.error.issues[0]?.message ?? 'is not valid');
    const populationText = text('人口');
    const population = populationText === '' ? null : createHouseholdBody.shape.population.safeParse(/^\d+$/.test(populationText) ? Number(populationText) : populationText);
    if (population && !population.success) report('人口', `must be a whole number of people from 0 to 50, not ${populationText}`);
    const genderText = text('性别(男/女)');
    const gender = genderText === '' ? null : GENDERS[genderText.toUpperCase()];
    if (gender === undefined) report('性别(男/女)', `must be 男 or 女, not ${genderText}`);
    if (isLossyNumber(cells.get('身份证号') ?? null)) report('身份证号', 'was stored by Excel as a number and lost digits; format the column as Text and type it again');
    // Exports mask numbers on purpose (PIPL); say so rather than calling 138****5678 "not a mobile number".
    const number = (column: '手机号' | '身份证号') => {
      const value = text(column);
      if (!value.includes('*')) return value || null;
      report(column, `${value} is masked, as in an export; an import needs the full number`);
      return null;
    };
    const person = residentFields.safeParse({
      name: text('姓名'), gender: gender ?? null, birthDate: normaliseDate(text('出生日期')) || null, phone: number('手机号'), idNumber: number('身份证号'),
    });
    if (!person.success) zodProblems(person.error, RESIDENT_FIELD_COLUMNS, report);
    else if (person.data.idNumber) {
      const first = idRows.get(person.data.idNumber);
      if (first !== undefined) report('身份证号', `repeats the ID number on row ${first}`);
      else idRows.set(person.data.idNumber, row);
    }
    if (errors.list.length > before || !person.success || !room.success) continue;
    parsed.push({ row, gridCode, building, unit, room: room.data, population: population?.success ? population.data : null, person: person.data });
  }
  return parsed;
}

/** Step 1 for the 工作人员 sheet: one role per row; rows with the same 用户名 make one account. */
export function parseStaffRows(rows: SheetRow<StaffColumn>[], errors: RowErrors): StaffRow[] {
  const parsed: StaffRow[] = [];
  for (const { row, cells } of rows) {
    const report = reporter<StaffColumn>(errors, STAFF_SHEET, row);
    const before = errors.list.length;
    const text = (c: StaffColumn) => cellText(cells.get(c) ?? null);
    const account = staffFields.safeParse({ username: text('用户名'), displayName: text('姓名'), phone: text('手机号') || null });
    if (!account.success) zodProblems(account.error, STAFF_FIELD_COLUMNS, report);
    const roleText = text('角色');
    const role = ROLE_BY_NAME.get(roleText) ?? ROLE_BY_NAME.get(roleText.toLowerCase());
    if (!role) report('角色', `${roleText ? `"${roleText}" is not a role` : 'is required'}; use one of ${Object.values(ROLE_LABELS).join('、')} (or the role ids such as grid_worker)`);
    else if (TIED_ROLES.includes(role)) report('角色', `${ROLE_LABELS[role]} belongs to a board, post, department, building or unit, which a sheet cannot name; grant it on the account's page instead`);
    const scopeCode = text('范围编码');
    if (!/^\d{12}(\d{3}){0,2}$/.test(scopeCode)) report('范围编码', scopeCode ? `${scopeCode} is not a node code (12, 15 or 18 digits)` : 'is required: the code of the node the role covers');
    const ab = text('AB角').toUpperCase();
    if (role === 'grid_chief' && ab !== 'A' && ab !== 'B') report('AB角', 'must be A (primary) or B (backup) for a 网格长');
    if (role !== 'grid_chief' && ab) report('AB角', 'applies only to a 网格长 (grid chief)');
    const employmentText = text('专兼职');
    const employment = employmentText ? EMPLOYMENT[employmentText.toLowerCase()] : undefined;
    if (employmentText && role === 'grid_worker' && !employment) report('专兼职', `must be 专职 or 兼职, not ${employmentText}`);
    if (employmentText && role !== 'grid_worker') report('专兼职', 'applies only to a 网格员 (grid worker)');
    if (errors.list.length > before || !account.success || !role) continue;
    parsed.push({ row, account: account.data, role, scopeCode, abSlot: ab === 'A' || ab === 'B' ? ab : undefined, employment });
  }
  return parsed;
}

/** Accepts 1950-3-7, 1950/03/07 and 1950.3.7 as well as 1950-03-07; the schema then checks the date. */
function normaliseDate(s: string): string {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  return m ? `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}` : s;
}
