// The shape of the code, checked: the rules of docs/architecture.md that a grep or an import graph can see, so
// a new module that drifts from them fails here rather than in a maintainer's reading.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src');

function filesUnder(dir: string, ext: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, ext) : ext.test(name) ? [path] : [];
  });
}

const rel = (path: string) => relative(root, path);
const sources = filesUnder(src, /\.ts$/).filter((f) => !f.endsWith('.test.ts'));
const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gms)].map((m) => m[1] as string);

/** Where SQL may be written: repositories, migrations, and the loaders that bulk-insert demo data and seeds. */
const MAY_QUERY = [/\.repository\.ts$/, /^src\/db\/migrations\//, /^src\/db\/(seed|database|migrate)\.ts$/, /^src\/modules\/demo\/demo\.(loader|year)\.ts$/];

describe('the shape of the code', () => {
  it('has no import cycles, type-only imports included', async () => {
    const graph = await madge(src, { fileExtensions: ['ts'], excludeRegExp: [/\.test\.ts$/], detectiveOptions: { ts: { skipTypeImports: false } } });
    expect(graph.circular()).toEqual([]);
  });

  it('keeps src/core pure: it imports nothing from the database, the HTTP layer or the modules', () => {
    const upward = sources
      .filter((f) => rel(f).startsWith('src/core/'))
      .flatMap((f) => importsOf(f).filter((i) => /(^|\/)(db|modules|http)\//.test(i) || /deps\.ts$/.test(i)).map((i) => `${rel(f)} → ${i}`));
    expect(upward).toEqual([]);
  });

  it('writes every query in a repository', () => {
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql`[^`]*`\s*\.execute\(/;
    const outside = sources
      .filter((f) => !MAY_QUERY.some((p) => p.test(rel(f))))
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (query.test(line) ? [`${rel(f)}:${i + 1}`] : [])));
    expect(outside).toEqual([]);
  });

  it('wires every area through its module file, and app.ts through nothing else', () => {
    const modules = join(src, 'modules');
    const withRoutes = readdirSync(modules).filter((area) => readdirSync(join(modules, area)).some((f) => f.endsWith('.routes.ts')));
    const missing = withRoutes.filter((area) => !readdirSync(join(modules, area)).some((f) => f.endsWith('.module.ts')));
    expect(missing).toEqual([]);
    const fromApp = importsOf(join(src, 'app.ts')).filter((i) => i.includes('/modules/') && !i.endsWith('.module.ts'));
    expect(fromApp).toEqual([]);
  });

  it('keeps Beijing time in one module, for the pages too', () => {
    const offset = /\+08:00|8 \* 3_?600|8 \* HOUR|8 \* 60 \* 60|28_?800/;
    const elsewhere = [...sources, ...filesUnder(join(root, 'web/src'), /\.(ts|vue)$/)]
      .filter((f) => rel(f) !== 'src/core/beijing.ts')
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (offset.test(line) && !/^\s*(\/\/|\*)/.test(line) ? [`${rel(f)}:${i + 1}`] : [])));
    expect(elsewhere).toEqual([]);
  });

  it('has the pages call the API only through the generated typed client', () => {
    const pages = filesUnder(join(root, 'web/src'), /\.(ts|vue)$/).filter((f) => !rel(f).startsWith('web/src/api/'));
    const untyped = pages.filter((f) => /\brequest</.test(readFileSync(f, 'utf8'))).map(rel);
    expect(untyped).toEqual([]);
  });

  it('takes ids through the bounded helpers of core/fields.ts, so none reaches an int4 column past 2³¹−1', () => {
    const unbounded = /number\(\)\.int\(\)\.positive\(\)(?!\.max\()/;
    const raw = sources
      .filter((f) => rel(f) !== 'src/core/fields.ts')
      .flatMap((f) => readFileSync(f, 'utf8').split('\n').flatMap((line, i) => (unbounded.test(line) ? [`${rel(f)}:${i + 1}`] : [])));
    expect(raw).toEqual([]);
  });
});
