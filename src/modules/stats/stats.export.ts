import ExcelJS from 'exceljs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import type { RequestContext } from '../../core/scope.ts';
import { XLSX_MIME } from '../porting/people.workbook.ts';
import type { figuresSchema } from './stats.schema.ts';
import * as s from './stats.schema.ts';
import type { StatsService } from './stats.service.ts';

type Figures = z.infer<typeof figuresSchema>;

/** The figure columns, in the order of the console's tables; rates are fractions shown as percentages. */
export const FIGURE_COLUMNS: { key: keyof Figures; header: string; rate?: boolean }[] = [
  { key: 'due', header: '应结' }, { key: 'closed', header: '已结' }, { key: 'closedOnTime', header: '按期结案' },
  { key: 'closureRate', header: '结案率', rate: true }, { key: 'onTimeRate', header: '按期结案率', rate: true },
  { key: 'rated', header: '评价数' }, { key: 'satisfied', header: '满意' }, { key: 'basically', header: '基本满意' }, { key: 'dissatisfied', header: '不满意' },
  { key: 'satisfactionRate', header: '满意率', rate: true },
  { key: 'handled', header: '办结' }, { key: 'reworked', header: '返工' }, { key: 'reworkRate', header: '返工率', rate: true },
  { key: 'closes', header: '结案次数' }, { key: 'averageHandlingHours', header: '平均办理时长(小时)' },
  { key: 'suspended', header: '挂起' }, { key: 'extended', header: '延期' }, { key: 'escalated', header: '上报上级' }, { key: 'overdueNow', header: '当前超期' },
];
export const SHEETS = { summary: '汇总', breakdown: '下级', department: '部门', post: '岗位', board: '板块' } as const;
const HANDLER_KINDS = ['department', 'post', 'board'] as const;

/**
 * The figures of GET /api/stats/summary, /breakdown and /handlers (all three kinds) for one node and range
 * as one workbook: the same service calls, so the file always equals what the console shows. A handler
 * kind the caller may not see is left out rather than failing the whole export.
 */
export async function buildStatsWorkbook(stats: StatsService, ctx: RequestContext, q: z.infer<typeof s.rangeQuery>): Promise<{ data: Buffer; filename: string }> {
  const summary = await stats.summary(ctx, q);
  const breakdown = await stats.breakdown(ctx, q);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'dualgrid';

  const nodeSheet = (name: string) => sheet(workbook, name, [{ header: '编码', width: 16 }, { header: '名称', width: 20 }, { header: '上报', width: 8 }]);
  const top = nodeSheet(SHEETS.summary);
  top.addRow([summary.node.code, summary.node.name, summary.reported.total, ...values(summary)]);
  top.addRow([]);
  top.addRow(['统计区间', `${q.from} — ${q.to}`]);

  const children = nodeSheet(SHEETS.breakdown);
  for (const item of breakdown.items) children.addRow([item.node.code, item.node.name, item.reported.total, ...values(item)]);

  for (const kind of HANDLER_KINDS) {
    let handlers: Awaited<ReturnType<StatsService['handlers']>>;
    try {
      handlers = await stats.handlers(ctx, { ...q, kind });
    } catch (e) {
      if (e instanceof AppError && e.status === 403) continue;
      throw e;
    }
    const ws = sheet(workbook, SHEETS[kind], [{ header: '编号', width: 8 }, { header: '名称', width: 24 }]);
    for (const item of handlers.items) ws.addRow([item.id, item.name, ...values(item)]);
  }
  const filename = `stats-${summary.node.code}-${q.from}-${q.to}.xlsx`;
  return { data: Buffer.from(await workbook.xlsx.writeBuffer()), filename };
}

function values(f: Figures): (number | null)[] {
  return FIGURE_COLUMNS.map((c) => f[c.key]);
}

function sheet(workbook: ExcelJS.Workbook, name: string, lead: { header: string; width: number }[]): ExcelJS.Worksheet {
  const ws = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  ws.columns = [...lead, ...FIGURE_COLUMNS.map((c) => ({ header: c.header, width: Math.max(8, c.header.length * 2 + 2) }))];
  ws.getColumn(1).numFmt = '@';
  FIGURE_COLUMNS.forEach((c, i) => {
    if (c.rate) ws.getColumn(lead.length + i + 1).numFmt = '0.0%';
    if (c.key === 'averageHandlingHours') ws.getColumn(lead.length + i + 1).numFmt = '0.0';
  });
  ws.getRow(1).font = { bold: true };
  return ws;
}

/** GET /api/stats/export.xlsx: same query and same access as /api/stats/breakdown. */
export function statsExportRoute(app: Parameters<FastifyPluginAsyncZod>[0], stats: StatsService): void {
  app.get('/api/stats/export.xlsx', {
    schema: {
      tags: ['statistics'], produces: [XLSX_MIME], querystring: s.rangeQuery,
      summary: 'The summary, the breakdown by child and the handler figures of a node over a date range as one .xlsx (staff over the node)',
    },
  }, async (req, reply) => {
    const { data, filename } = await buildStatsWorkbook(stats, req.ctx, req.query);
    return reply.header('content-type', XLSX_MIME).header('content-disposition', `attachment; filename="${filename}"`).send(data);
  });
}
