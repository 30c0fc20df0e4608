import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST15_PATH } from '../data/mnist15.js';
import { ReclinkError } from '../errors.js';

/** Where the built page lives: `dist/web/` of this package (the same from `src/lab/` and `dist/lab/`). */
export const LAB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Options of `serveLab`. */
export interface ServeOptions {
  /** Port on 127.0.0.1; 0 picks a free one (default 0). */
  port?: number;
  /** Folder holding the built page's `index.html` (default `LAB_ROOT`). */
  root?: string;
  /** The bundled digits, answered at `/mnist15.bin` (default `MNIST15_PATH`: the package's one copy). */
  digits?: string;
}

/** The one path served from outside `root`: the bundled digits (see `BUNDLED_DIGITS_URL`). */
const DIGITS_PATH = '/mnist15.bin';

/** A running lab server. */
export interface LabServer {
  /** `http://127.0.0.1:<port>/`. */
  readonly url: string;
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>;
}

/**
 * The headers that make the page cross-origin isolated, which shared WebAssembly memory
 * (the WebAssembly backend's) needs in a browser. Everything the page loads is its own.
 */
export const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
});

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/**
 * Serves the built lab page as static files on 127.0.0.1 only (nothing reaches the
 * network). Only GET and HEAD of files under `root` are answered; `/` is `index.html`.
 *
 * @example
 * const server = await serveLab({ port: 8080 });
 * console.log(server.url); // http://127.0.0.1:8080/
 */
export async function serveLab(options: ServeOptions = {}): Promise<LabServer> {
  const root = resolve(options.root ?? LAB_ROOT);
  const digits = resolve(options.digits ?? MNIST15_PATH);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ReclinkError(`port is ${port}, expected an integer from 0 to 65535`, 2);
  }
  if (!existsSync(join(root, 'index.html'))) {
    throw new ReclinkError(`the lab page is not built: ${join(root, 'index.html')} is missing (run npm run build)`);
  }
  const server = createServer((request, response) => {
    respond(root, digits, request, response).catch(() => send(response, 500, 'internal error'));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'EADDRINUSE' ? new ReclinkError(`port ${port} is in use, choose another with --port`, 2) : error);
    });
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the lab server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function respond(root: string, digits: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'only GET and HEAD');
  const path = requestPath(request.url ?? '/');
  const file = path === DIGITS_PATH ? digits : path === null ? null : filePath(root, path);
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || info === null || !info.isFile()) return send(response, 404, 'not found');
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
    ...CROSS_ORIGIN_ISOLATION,
  });
  if (request.method === 'HEAD') return void response.end();
  // A file that vanishes or fails mid-read ends this response (its headers are sent), not the server.
  await pipeline(createReadStream(file), response).catch(() => response.destroy());
}

/** A request's decoded path, or null when it is malformed. */
function requestPath(url: string): string | null {
  try {
    const path = decodeURIComponent(new URL(url, 'http://localhost').pathname);
    return path.includes('\0') ? null : path;
  } catch {
    return null;
  }
}

/** The file under `root` a request path names, or null when it leaves `root`. */
function filePath(root: string, path: string): string | null {
  const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
  return file.startsWith(root + sep) ? file : null;
}

function send(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(text);
}
