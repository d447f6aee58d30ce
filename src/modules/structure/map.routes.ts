import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { presentFeatures, presentPlace } from './map.presenter.ts';
import * as s from './map.schema.ts';
import type { MapService } from './map.service.ts';

export function mapRoutes(maps: MapService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/api/map/config', {
      schema: { tags: ['structure'], summary: 'The tile server of the maps and its coordinate system, if any (public)', response: { 200: s.mapConfigSchema } },
    }, async () => maps.config());

    app.get('/api/map/features', {
      schema: { tags: ['structure'], summary: 'Named roads, rivers, parks and landmarks around a node, as GeoJSON in WGS-84 (public, for maps without tiles)', querystring: s.featuresQuery, response: { 200: s.featuresResult } },
    }, async (req) => presentFeatures(await maps.features(req.query.under)));

    app.get('/api/map/places', {
      schema: { tags: ['structure'], summary: 'Buildings to choose a place from: nearest first around a point, searchable by name or address (signed in, within my part of the tree)', querystring: s.placesQuery, response: { 200: s.placesResult } },
    }, async (req) => ({ items: (await maps.places(req.ctx, req.query)).map(presentPlace) }));
  };
}
