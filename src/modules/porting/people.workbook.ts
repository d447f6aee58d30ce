import ExcelJS from 'exceljs';
import type { CellValue, Worksheet } from 'exceljs';
import { AppError } from '../../core/errors.ts';
import type { Role } from '../../core/vocabulary.ts';
import type { RowErrors } from './import.run.ts';

/** The workbook layout shared by the people import and export, in the words the staff use. */
export const RESIDENTS_SHEET = '居民';
export const STAFF_SHEET = '工作人员';
export const RESIDENT_COLUMNS = ['网格编码', '楼栋', '单元', '房号', '人口', '姓名', '性别(男/女)', '出生日期', '手机号', '身份证号'] as const;
export const STAFF_COLUMNS = ['用户名', '姓名', '手机号', '角色', '范围编码', 'AB角', '专兼职'] as const;
export type ResidentColumn = (typeof RESIDENT_COLUMNS)[number];
export type StaffColumn = (typeof STAFF_COLUMNS)[number];
export const MAX_ROWS = 20_000;
export const ROW_CONVENTION = 'Rows are numbered as in Excel: the header is row 1, so the first person is row 2.';
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export const ROLE_LABELS: Record<Role, string> = {
  admin: '管理员', centre_operator: '中心值班员', board_lead: '板块负责人', post_handler: '岗位处置人', department_handler: '部门处置人',
  community_staff: '社区干部', grid_chief: '网格长', grid_worker: '网格员', building_head: '楼栋长', unit_head: '单元长',
  volunteer: '志愿者', mediator: '调解员', merchant: '商户', resident: '居民',
};

// Browsers and curl often send a generic type for .xlsx; the zip signature below is what really counts.
const ACCEPTED_TYPES = new Set([XLSX_MIME, 'application/octet-stream', 'application/zip', 'application/x-zip-compressed', '']);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export interface Upload { filename: string; mimetype: string; data: Buffer }

/** Accepts only an .xlsx workbook: right extension, a plausible declared type and the zip signature. */
export async function openWorkbook(file: Upload): Promise<ExcelJS.Workbook> {
  const refuse = (why: string) => new AppError('UNSUPPORTED_MEDIA_TYPE', `Upload one Excel workbook (.xlsx): ${why}.`);
  if (!file.filename.toLowerCase().endsWith('.xlsx')) throw refuse(`"${file.filename}" does not end in .xlsx (save older .xls files as .xlsx first)`);
  if (!ACCEPTED_TYPES.has(file.mimetype.toLowerCase())) throw refuse(`the file was sent as ${file.mimetype}`);
  if (!file.data.subarray(0, 4).equals(ZIP_MAGIC)) throw refuse('the file’s content is not an Excel workbook');
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as an ArrayBuffer; a copy into a fresh Uint8Array yields exactly that.
    await workbook.xlsx.load(new Uint8Array(file.data).buffer);
  } catch {
    throw refuse('the workbook is damaged or is not in the Excel 2007+ format');
  }
  return workbook;
}

/** One data row of a sheet: its Excel row number and its cells by column title. */
export interface SheetRow<C extends string> { row: number; cells: Map<C, CellValue> }

// Headers are matched loosely: spaces and full-width brackets are common in hand-made sheets.
const normaliseHeader = (s: string) => s.replace(/\s/g, '').replaceAll('（', '(').replaceAll('）', ')').toUpperCase();
const HEADER_ALIASES: Record<string, string> = { 性别: '性别(男/女)' };

/** Reads a sheet by its header row; missing required columns become errors on row 1. */
export function readSheet<C extends string>(sheet: Worksheet, name: string, columns: readonly C[], required: readonly C[], errors: RowErrors): SheetRow<C>[] {
  if (sheet.actualRowCount - 1 > MAX_ROWS) {
    throw new AppError('PAYLOAD_TOO_LARGE', `The sheet ${name} has ${sheet.actualRowCount - 1} rows; at most ${MAX_ROWS} may be imported at once. Split the file.`);
  }
  const byHeader = new Map(columns.map((c) => [normaliseHeader(c), c]));
  const index = new Map<C, number>();
  sheet.getRow(1).eachCell((cell, col) => {
    const text = normaliseHeader(cellText(cell.value));
    const column = byHeader.get(text) ?? byHeader.get(normaliseHeader(HEADER_ALIASES[text] ?? ''));
    if (column && !index.has(column)) index.set(column, col);
  });
  for (const c of required) {
    if (!index.has(c)) errors.add({ sheet: name, row: 1, field: c, message: `${name} row 1: the column ${c} is missing from the header` });
  }
  const rows: SheetRow<C>[] = [];
  sheet.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = new Map<C, CellValue>();
    for (const [column, col] of index) cells.set(column, r.getCell(col).value);
    // Rows with only formatting or stray spaces are not people.
    if ([...cells.values()].some((v) => cellText(v) !== '')) rows.push({ row: rowNumber, cells });
  });
  return rows;
}

/** A cell as trimmed text, whatever Excel stored: numbers without exponent, dates as YYYY-MM-DD. */
export function cellText(v: CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return Number.isInteger(v) ? v.toFixed(0) : String(v);
  if (typeof v === 'boolean') return String(v);
  // Excel dates carry no time zone; ExcelJS reads them as UTC midnight.
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((t) => t.text).join('').trim();
  if ('hyperlink' in v) return String(v.text).trim();
  if ('result' in v) return cellText(v.result ?? null);
  return '';
}

/** True when Excel holds a long number as a number, which keeps only 15 significant digits. */
export const isLossyNumber = (v: CellValue) => typeof v === 'number' && !Number.isSafeInteger(v);
