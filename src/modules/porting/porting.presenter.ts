import type { subtreeWithParents } from './porting.repository.ts';
import type { TreeExport } from './porting.schema.ts';

type SubtreeRow = Awaited<ReturnType<typeof subtreeWithParents>>[number];

/**
 * A subtree as GeoJSON with the property names the import reads, so an export can be edited in a GIS
 * tool and imported back. Retired nodes come with their status; the import leaves them as they are.
 */
export const presentTreeExport = (rows: SubtreeRow[]): TreeExport => ({
  type: 'FeatureCollection',
  features: rows.map((n) => ({
    type: 'Feature',
    properties: {
      code: n.code, name: n.name, level: n.level, parentCode: n.parent_code, kind: n.kind,
      estateType: n.estate_type, estateName: n.estate_name, status: n.status,
    },
    geometry: n.boundary,
  })),
});
