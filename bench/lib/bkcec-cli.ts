// The bkcec command line with the benchmark module added: `node --import tsx bench/lib/bkcec-cli.ts …`.
import { main } from '../../src/cli/main';
import { benchModule } from './workload';

process.exitCode = await main(process.argv.slice(2), {
  modules: [benchModule(Number(process.env.BENCH_K ?? 30))],
});
