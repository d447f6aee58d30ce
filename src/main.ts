#!/usr/bin/env node
import { Command } from 'commander';
import { loadConfig } from './config.ts';
import { isEmpty, loadDemoTown } from './modules/demo/demo.loader.ts';
import { openDeps, serve } from './server.ts';

const program = new Command('dualgrid').description('Dual-grid grassroots governance (双网格基层治理)');

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
  .command('migrate')
  .description('apply the database migrations and exit')
  .action(async () => {
    const { database } = await openDeps(loadConfig());
    await database.close();
    console.log('migrations applied');
  });

program
  .command('demo')
  .description('load the demo town (deterministic from a seed) into an empty database')
  .option('--seed <n>', 'random seed', (v) => Number.parseInt(v, 10))
  .action(async (opts: { seed?: number }) => {
    const { deps, database } = await openDeps(loadConfig());
    try {
      if (!(await isEmpty(deps.db))) throw new Error('the database already holds a tree; the demo loads only into an empty one');
      console.log(JSON.stringify(await loadDemoTown(deps, opts.seed), null, 2));
    } finally {
      await database.close();
    }
  });

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
