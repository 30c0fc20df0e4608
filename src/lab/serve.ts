import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MNIST15_PATH } from '../data/mnist15.js';
import { InternalError, ReclinkError } from '../errors.js';

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

/**
 * What the page may do, as a Content-Security-Policy: load scripts, workers, styles, fonts
 * and data from this server only; compile WebAssembly ('wasm-unsafe-eval', for the
 * kernels); show data: images (the page's empty icon) and data: fonts (Vite inlines KaTeX's
 * smallest); no plug-ins, no forms, no `<base>`, and no framing by any page
 * (`frame-ancestors 'none'`, against clickjacking).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of every response, errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  ...CROSS_ORIGIN_ISOLATION,
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
 * A request must name this server in its Host header (`127.0.0.1:<port>` or
 * `localhost:<port>`), else it gets 421: a page on another site whose name a DNS-rebinding
 * attack points at 127.0.0.1 cannot read the lab. A file is served only when its real path
 * (symbolic links resolved) is inside `root`. Every response carries `SECURITY_HEADERS`.
 *
 * @example
 * const server = await serveLab({ port: 8080 });
 * console.log(server.url); // http://127.0.0.1:8080/
 */
export async function serveLab(options: ServeOptions = {}): Promise<LabServer> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ReclinkError(`port is ${port}, expected an integer from 0 to 65535`, 2);
  }
  const folder = resolve(options.root ?? LAB_ROOT);
  if (!existsSync(join(folder, 'index.html'))) {
    throw new ReclinkError(`the lab page is not built: ${join(folder, 'index.html')} is missing (run npm run build)`);
  }
  const root = realpathSync(folder);
  const digits = resolve(options.digits ?? MNIST15_PATH);
  const hosts = new Set<string>(); // filled once the port is known
  // requireHostHeader false: a request without Host gets the 421 below, with the strict headers, not Node's bare 400.
  const server = createServer({ requireHostHeader: false }, (request, response) => {
    const host = request.headers.host?.toLowerCase();
    if (host === undefined || !hosts.has(host)) return send(response, 421, `misdirected request: this server answers only ${[...hosts].join(' and ')}`);
    respond(root, digits, request, response).catch(() => send(response, 500, 'internal error'));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      fail(error.code === 'EADDRINUSE' ? new ReclinkError(`port ${port} is in use, choose another with --port`, 2) : error);
    });
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new InternalError('the lab server has no TCP address');
  hosts.add(`127.0.0.1:${address.port}`).add(`localhost:${address.port}`);
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
  const file = path === DIGITS_PATH ? digits : path === null ? null : await realFile(root, path);
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || info === null || !info.isFile()) return send(response, 404, 'not found');
  response.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': info.size,
    'cache-control': 'no-cache',
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

/** The real path (links resolved) of the file a request path names, or null when it is missing or outside `root` (itself a real path). */
async function realFile(root: string, path: string): Promise<string | null> {
  const file = resolve(root, `.${path.endsWith('/') ? `${path}index.html` : path}`);
  const real = file.startsWith(root + sep) ? await realpath(file).catch(() => null) : null;
  return real !== null && real.startsWith(root + sep) ? real : null;
}

function send(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  response.end(text);
}
