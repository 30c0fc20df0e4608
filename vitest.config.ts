import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    // Builds dist/reclink.wasm from assembly/ when it is older than its sources.
    globalSetup: ['scripts/build-wasm.ts'],
    // tfjs-core's gradient registrations use extensionless imports that Node's ESM loader
    // rejects; inlining the package lets vitest resolve them (see test/tfjs.test.ts).
    server: { deps: { inline: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'] } },
  },
});
