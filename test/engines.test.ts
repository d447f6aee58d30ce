import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, { version?: string; optional?: boolean; engines?: { node?: string } | string[] }>;
};

/**
 * `npm install` warns (EBADENGINE) for every installed package whose engines.node the running Node does not
 * satisfy. The engines field promises a range; every locked package must accept the oldest Node of that range,
 * or a newcomer on it sees warnings and a dependency that may not work.
 */
describe('engines', () => {
  const oldest = semver.minVersion(root.engines.node)?.version ?? '';

  it('names a range with an oldest version', () => {
    expect(oldest).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('every locked package accepts the oldest Node the engines field promises', () => {
    const refusing = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !p.optional) // npm skips an optional package its Node refuses, silently
      .flatMap(([path, p]) => {
        const range = Array.isArray(p.engines) ? undefined : p.engines?.node;
        return range && !semver.satisfies(oldest, range) ? [`${path.replace(/^.*node_modules\//, '')}@${p.version} wants node ${range}`] : [];
      });
    expect(refusing).toEqual([]);
  });
});
