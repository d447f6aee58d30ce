import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../core/errors.ts';
import { readOneFile } from '../../http/multipart.ts';
import { XLSX_MIME } from './people.workbook.ts';
import { presentTreeExport } from './porting.presenter.ts';
import * as s from './porting.schema.ts';
import type { PortingService } from './porting.service.ts';

/** GIS exports of a whole town run to tens of megabytes; the app's default JSON limit is for forms. */
const TREE_BODY_LIMIT = 64 * 1024 * 1024;

/** Plain JSON.parse is enough: the result only feeds zod schemas, which copy known keys and never merge. */
async function parseGeoJson(_req: FastifyRequest, body: string | Buffer): Promise<unknown> {
  try {
    const value: unknown = JSON.parse(body.toString());
    return value;
  } catch (err) {
    throw new AppError('INVALID_GEOJSON', `The file is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`);
  }
}

export function portingRoutes(porting: PortingService): FastifyPluginAsyncZod {
  return async (app) => {
    // In this plugin only: GIS tools send application/geo+json, and a file that is not JSON is broken GeoJSON.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(['application/json', 'application/geo+json'], { parseAs: 'string' }, parseGeoJson);

    app.post('/api/admin/import/tree', {
      bodyLimit: TREE_BODY_LIMIT,
      schema: {
        tags: ['porting'], summary: 'Import the tree from GeoJSON: new codes are created, existing ones updated; all or nothing (administrators)',
        description: 'Errors: INVALID_GEOJSON when the file or a feature geometry is broken, IMPORT_FAILED for other feature problems; details.errors lists every one as { row, field, message }.',
        querystring: s.importQuery, body: s.treeImportBody, response: { 200: s.treeImportResult },
      },
    }, async (req) => porting.importTree(req.ctx, req.body, { dryRun: req.query.dryRun === 'true' }));

    app.get('/api/admin/export/tree', {
      schema: { tags: ['porting'], summary: 'A node and its whole subtree as a GeoJSON FeatureCollection, in the import format (administrators)', querystring: s.exportQuery, response: { 200: s.treeExport } },
    }, async (req) => presentTreeExport(await porting.exportTree(req.ctx, req.query.nodeId)));

    app.post('/api/admin/import/people', {
      schema: {
        tags: ['porting'], summary: 'Import residents (sheet 居民) and staff accounts (sheet 工作人员) from one .xlsx upload; all or nothing (administrators)',
        description: 'multipart/form-data with one file. Row errors come back as IMPORT_FAILED with details.errors [{ sheet, row, field, message }], rows numbered as in Excel (header = row 1).',
        consumes: ['multipart/form-data'], querystring: s.importQuery, response: { 200: s.peopleImportResult },
      },
    }, async (req) => porting.importPeople(req.ctx, async () => {
      // Read only after the service has checked the caller, so a refused request never buffers a file.
      return readOneFile(req, { what: 'one .xlsx workbook' });
    }, { dryRun: req.query.dryRun === 'true' }));

    app.get('/api/admin/export/people.xlsx', {
      schema: { tags: ['porting'], summary: 'Residents and staff under a node as .xlsx, phone and ID numbers masked; audited (administrators)', querystring: s.exportQuery, produces: [XLSX_MIME] },
    }, async (req, reply) => {
      const { data, filename } = await porting.exportPeople(req.ctx, req.query.nodeId);
      return reply.header('content-type', XLSX_MIME).header('content-disposition', `attachment; filename="${filename}"`).send(data);
    });
  };
}
