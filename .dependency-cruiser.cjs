// The import gate of `npm test` (npm run gate): what may import what.
//   lib/       shared by the controller and the hosts: imports neither src/ nor platform/.
//   platform/  bundled for hosts: never imports src/ (the controller); src/ production code never
//              imports platform/ either: what both need lives in lib/.
//   production code (src/, platform/, lib/) never imports test support or test files.
//   no circular imports anywhere.
const TEST_SUPPORT = '^(test/|.*/testing/|.*\\.test\\.ts$|.*/test-fixtures\\.ts$|.*/test-env\\.ts$)';
const PRODUCTION = '^(src|platform|lib)/';

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'platform-not-src',
      comment: 'platform/ is bundled for hosts; what it shares with the controller lives in lib/',
      severity: 'error',
      from: { path: '^platform/' },
      to: { path: '^src/' },
    },
    {
      name: 'src-not-platform',
      comment: 'the controller shares code with host programs through lib/ only (its tests may start them)',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_SUPPORT },
      to: { path: '^platform/' },
    },
    {
      name: 'lib-stands-alone',
      comment: 'lib/ is imported by both sides and imports neither',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(src|platform)/' },
    },
    {
      name: 'production-not-test-support',
      comment: 'test support (test/, */testing/, fixtures) is for test files only',
      severity: 'error',
      from: { path: PRODUCTION, pathNot: TEST_SUPPORT },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, dependencyTypesNot: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.artifacts)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js', '.json'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
