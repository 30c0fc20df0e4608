import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // Builds the package when vitest runs alone and dist/ is stale (`npm test` builds first).
    globalSetup: ['test/global-setup.ts'],
    // Under CI=true a skipped test fails the run (test/no-skips-in-ci.ts).
    reporters: ['default', './test/no-skips-in-ci.ts'],
    // TensorFlow.js (test/tfjs.test.ts): tfjs-core's gradient registrations live only in its ES
    // module build, whose extensionless imports Node's loader rejects. Vite's dependency
    // optimizer bundles that build with esbuild (cached in node_modules/.vite) in about a
    // second; inlining its thousand modules one by one took 12 s of every run.
    deps: {
      optimizer: {
        ssr: {
          enabled: true,
          include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients.js', '@tensorflow/tfjs-backend-cpu'],
        },
      },
    },
  },
});
