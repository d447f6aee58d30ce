#!/usr/bin/env node
import { Command } from 'commander';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { loadDemoDeliberation } from './modules/demo/demo.deliberation.ts';
import { isEmpty, loadDemoTown } from './modules/demo/demo.loader.ts';
import { loadDemoYear } from './modules/demo/demo.year.ts';
import { lockDataDir } from './modules/maintenance/datadir.lock.ts';
import { backupCommand, embeddedDataDir, restoreCommand, rotatePiiKeyCommand } from './modules/maintenance/maintenance.cli.ts';
import { exportPeopleFile, exportTreeFile, importPeopleFile, importTreeFile } from './modules/porting/porting.cli.ts';
import { openDeps, serve } from './server.ts';

const program = new Command('dualgrid').description('Dual-grid grassroots governance (双网格基层治理)');

// PGlite serves one process: every command on the embedded database holds its folder, so a backup, a restore or a
// second server refuses while the server runs (and a crashed holder's lock is taken over).
program.hook('preAction', (_program, command) => {
  // `sense --base` reads no database: it may run beside a server.
  if (command.name() === 'sense' && command.opts().base) return;
  const dataDir = embeddedDataDir();
  if (dataDir) lockDataDir(dataDir, command.name());
});

program
  .command('serve', { isDefault: true })
  .description('run the app (API, pages, jobs); loads the demo town into an empty database unless DUALGRID_NO_DEMO=1')
  .option('--no-demo', 'do not load the demo town into an empty database')
  .action(async (opts: { demo: boolean }) => {
    const config = loadConfig();
    const running = await serve({ ...config, demoOnEmpty: config.demoOnEmpty && opts.demo });
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        running.app.log.info(`${signal}: shutting down`);
        running.stop().then(() => process.exit(0), () => process.exit(1));
      });
    }
  });

program
  .command('sense')
  .description('sense messages read as JSON lines {"text": …} on standard input, one result line each, with the database\'s current model')
  .option('--base', 'use the shipped base model and dictionary instead of the database\'s (no database is opened)')
  .option('--eval', 'read labelled lines (actionable, urgent or urgentKind, category) and print recall, precision and urgent recall')
  .action(async (opts: { base?: boolean; eval?: boolean }) => {
    const { baseSensor, runSense } = await import('./modules/sensing/sense.cli.ts');
    if (opts.base) {
      process.exitCode = await runSense(await baseSensor(), process.stdin, (l) => console.log(l), { evaluate: opts.eval === true });
      return;
    }
    const { deps, database } = await openDeps(loadConfig());
    try {
      const { currentSensor } = await import('./modules/sensing/sensor.cache.ts');
      // A database that never served has no model yet: train version 1 as the server's first start would.
      const { ensureBaseModel } = await import('./modules/sensing/models.service.ts');
      await ensureBaseModel(deps);
      process.exitCode = await runSense(await currentSensor(deps), process.stdin, (l) => console.log(l), { evaluate: opts.eval === true });
    } finally {
      await database.close();
    }
  });

program
  .command('migrate')
  .description('apply the database migrations and exit')
  .action(async () => {
    const { database } = await openDeps(loadConfig());
    await database.close();
    console.log('migrations applied');
  });

program
  .command('demo')
  .description('load the demo town and a year of matters (deterministic from a seed) into an empty database')
  .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10))
  .option('--matters <n>', 'matters in the demo year (0: the town only)', (v) => Number.parseInt(v, 10), 2500)
  .action(async (opts: { seed?: number; matters: number }) => {
    const { deps, database } = await openDeps(loadConfig());
    try {
      if (!(await isEmpty(deps.db))) throw new Error('the database already holds a tree; the demo loads only into an empty one');
      console.log(JSON.stringify(await loadDemoTown(deps, opts.seed), null, 2));
      if (opts.matters > 0) console.log(JSON.stringify(await loadDemoYear(deps, { seed: opts.seed, matters: opts.matters, log: (m) => console.log(m) }), null, 2));
      const app = await buildApp(deps, { logger: false });
      try {
        console.log(JSON.stringify(await loadDemoDeliberation(app, deps), null, 2));
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
    }
  });

program
  .command('import-tree')
  .description('import districts, towns, communities, grids and micro-grids from a GeoJSON FeatureCollection (all or nothing)')
  .argument('<file>', 'a .geojson file; properties code, name, level, optional parentCode, kind, estateType, estateName')
  .option('--dry-run', 'check everything and report what would happen, but write nothing')
  .action((file: string, opts: { dryRun?: boolean }) => importTreeFile(file, opts.dryRun === true));

program
  .command('import-people')
  .description('import residents (sheet 居民) and staff accounts (sheet 工作人员) from an .xlsx workbook (all or nothing)')
  .argument('<file>', 'an .xlsx workbook')
  .option('--dry-run', 'check everything and report what would happen, but write nothing')
  .action((file: string, opts: { dryRun?: boolean }) => importPeopleFile(file, opts.dryRun === true));

program
  .command('export-tree')
  .description('export a node and its subtree as GeoJSON in the import format')
  .argument('<nodeCode>', 'the code of the node, e.g. 500105004000')
  .option('-o, --output <file>', 'write to this file instead of standard output')
  .action((code: string, opts: { output?: string }) => exportTreeFile(code, opts.output));

program
  .command('export-people')
  .description('export the residents and staff under a node as .xlsx, phone and ID numbers masked')
  .argument('<nodeCode>', 'the code of the node, e.g. 500105004000')
  .option('-o, --output <file>', 'the workbook to write (default people-<nodeCode>.xlsx)')
  .action((code: string, opts: { output?: string }) => exportPeopleFile(code, opts.output));

program
  .command('backup')
  .description('write the database and the uploaded photos to one archive (not the PII key: its fingerprint is printed and recorded)')
  .argument('<file>', 'the archive to write, e.g. dualgrid-2026-12-02.tar; must not exist')
  .action((file: string) => backupCommand(file));

program
  .command('restore')
  .description('restore an archive of `backup` into the configured database and uploads folder (the embedded database must not be in use)')
  .argument('<file>', 'an archive written by `dualgrid backup`')
  .option('--force', 'restore although the configured PII key is not the backup\'s, or other sessions use the PostgreSQL database')
  .action((file: string, opts: { force?: boolean }) => restoreCommand(file, opts));

program
  .command('rotate-pii-key')
  .description('re-seal every phone and ID number under a new PII key in one transaction (stop the app first), then switch the key')
  .requiredOption('--new-key-file <file>', 'the new key, 32 bytes in base64 (openssl rand -base64 32 > new.key)')
  .option('--force', 'rotate although other sessions use the PostgreSQL database')
  .action((opts: { newKeyFile: string; force?: boolean }) => rotatePiiKeyCommand(opts));

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
