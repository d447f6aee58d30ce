import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiTypes } from '../src/build/openapi.types.ts';

describe('the web client’s API types', () => {
  it('are generated from the current /openapi.json (run "npm run gen:api" after changing an endpoint)', async () => {
    const committed = readFileSync(new URL('../web/src/api/schema.d.ts', import.meta.url), 'utf8');
    expect(committed === (await openApiTypes()), 'web/src/api/schema.d.ts is stale: run npm run gen:api').toBe(true);
  });
});
