import { defineConfig } from 'vitest/config';

// Component and multi-host tests start real servers: give them time, and run files one at a
// time where they share machine-wide resources (ports, the testbed bridge).
export default defineConfig({
  test: {
    include: [
      'lib/**/*.test.ts',
      'src/**/*.test.ts',
      'platform/**/*.test.ts',
      'tools/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    reporters: ['default'],
  },
});
