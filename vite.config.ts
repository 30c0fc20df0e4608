import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { CROSS_ORIGIN_ISOLATION } from './src/lab/serve.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The browser lab: `web/` built into `dist/web/` with relative paths, so any static server can host it. */
export default defineConfig(({ command }) => ({
  root: here('./web'),
  base: './',
  // The bundled digits (data/mnist15.bin) at the site's root in development; `reclink lab`
  // serves the package's copy there, so the build does not carry a second one.
  publicDir: command === 'serve' ? here('./data') : false,
  // csv-parse's Node build uses Buffer; its browser build carries its own.
  resolve: { alias: { 'csv-parse/sync': 'csv-parse/browser/esm/sync' } },
  build: {
    outDir: here('./dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
  worker: {
    format: 'es',
    // The WebAssembly backend starts Node worker threads only when asked for more than one
    // thread (a dynamic import the page never reaches: it uses one); leave that import alone.
    rollupOptions: { external: ['node:worker_threads'] },
  },
  // Cross-origin isolation: the WebAssembly backend's shared memory needs it (as `reclink lab`'s headers).
  server: { host: '127.0.0.1', fs: { allow: [here('.')] }, headers: CROSS_ORIGIN_ISOLATION },
}));
