// Writes web/src/api/schema.d.ts from the app's OpenAPI document (npm run gen:api). The app is built over an
// in-memory PGlite; no route is called. test/web.api.test.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { openApiTypes } from '../src/build/openapi.types.ts';

const out = new URL('../web/src/api/schema.d.ts', import.meta.url);
writeFileSync(out, await openApiTypes());
console.log(`wrote ${out.pathname}`);
