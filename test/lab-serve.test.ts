import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveLab, type LabServer } from '../src/lab/serve.js';

interface Reply {
  status: number;
  type: string | undefined;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A raw request (the path is sent as written, so `..` is not normalised away by the client),
 * with the Host header `host` (null: none) instead of the one the client would send.
 */
function get(url: string, path: string, method = 'GET', host?: string | null): Promise<Reply> {
  const { port } = new URL(url);
  const headers = host === undefined || host === null ? {} : { host };
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers, setHost: host === undefined }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, type: res.headers['content-type'], body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('serveLab', () => {
  const parent = mkdtempSync(join(tmpdir(), 'reclink-serve-'));
  const root = join(parent, 'web');
  let server: LabServer;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>');
    writeFileSync(join(root, 'assets', 'main.js'), 'export {};');
    writeFileSync(join(root, 'assets', 'kernels.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(join(parent, 'secret.txt'), 'outside the root');
    writeFileSync(join(parent, 'digits.bin'), 'the bundled digits');
    server = await serveLab({ root, port: 0, digits: join(parent, 'digits.bin') });
  });

  afterAll(async () => {
    await server.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves index.html at /', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const reply = await get(server.url, '/');
    expect(reply).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', body: '<!doctype html><title>lab</title>' });
    // cross-origin isolated, for the WebAssembly backend's shared memory
    expect(reply.headers).toMatchObject({ 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
  });

  it('serves assets with their content type', async () => {
    expect((await get(server.url, '/assets/main.js')).type).toBe('text/javascript; charset=utf-8');
    expect((await get(server.url, '/assets/kernels.wasm')).type).toBe('application/wasm');
    expect((await get(server.url, '/assets/main.js?v=1')).status).toBe(200);
    expect((await get(server.url, '/assets/main.js', 'HEAD')).body).toBe('');
  });

  it('serves the bundled digits at /mnist15.bin from their one copy outside the page', async () => {
    expect(await get(server.url, '/mnist15.bin')).toMatchObject({ status: 200, body: 'the bundled digits' });
    expect((await get(server.url, '/assets/mnist15.bin')).status).toBe(404);
  });

  it('answers 404 for missing files and folders, and never leaves the root', async () => {
    expect((await get(server.url, '/nope.js')).status).toBe(404);
    expect((await get(server.url, '/assets')).status).toBe(404);
    expect((await get(server.url, '/../secret.txt')).status).toBe(404);
    expect((await get(server.url, '/..%2fsecret.txt')).status).toBe(404);
    expect((await get(server.url, '/%E0%A4%A')).status).toBe(404);
    expect((await get(server.url, '/a%00b')).status).toBe(404);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get(server.url, '/', 'POST')).status).toBe(405);
  });

  it('says when the page is not built, or the port is taken or invalid', async () => {
    await expect(serveLab({ root: parent })).rejects.toThrow(`the lab page is not built: ${join(parent, 'index.html')} is missing (run npm run build)`);
    const port = Number(new URL(server.url).port);
    await expect(serveLab({ root, port })).rejects.toThrow(`port ${port} is in use, choose another with --port`);
    await expect(serveLab({ root, port: 70000 })).rejects.toThrow('port is 70000, expected an integer from 0 to 65535');
  });
});

/** A GET with the Host header `host` (null: none). */
function getAs(url: string, path: string, host: string | null): Promise<Reply> {
  return get(url, path, 'GET', host);
}

describe('serveLab: what a page on another site cannot do', () => {
  const parent = mkdtempSync(join(tmpdir(), 'reclink-serve-strict-'));
  const root = join(parent, 'web');
  let server: LabServer;
  let port: string;

  beforeAll(async () => {
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>lab</title>');
    writeFileSync(join(root, 'assets', 'main.js'), 'export {};');
    writeFileSync(join(parent, 'secret.txt'), 'outside the root');
    symlinkSync(join(parent, 'secret.txt'), join(root, 'secret.txt'));
    symlinkSync(parent, join(root, 'up'));
    symlinkSync(join(root, 'assets', 'main.js'), join(root, 'alias.js'));
    server = await serveLab({ root, port: 0 });
    port = new URL(server.url).port;
  });

  afterAll(async () => {
    await server.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('answers only requests for 127.0.0.1 or localhost at its port, 421 to any other Host (DNS rebinding)', async () => {
    expect((await getAs(server.url, '/', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await getAs(server.url, '/', `localhost:${port}`)).status).toBe(200);
    expect((await getAs(server.url, '/', `LocalHost:${port}`)).status).toBe(200);
    for (const host of [`attacker.example:${port}`, 'attacker.example', '127.0.0.1', `127.0.0.1:${Number(port) + 1}`, `127.0.0.1.attacker.example:${port}`, null]) {
      const reply = await getAs(server.url, '/', host);
      expect(reply.status, String(host)).toBe(421);
      expect(reply.body).toBe(`misdirected request: this server answers only 127.0.0.1:${port} and localhost:${port}`);
    }
  });

  it('serves no file whose real path leaves the folder, whatever link leads to it', async () => {
    expect((await get(server.url, '/secret.txt')).status).toBe(404);
    expect((await get(server.url, '/up/secret.txt')).status).toBe(404);
    const alias = await get(server.url, '/alias.js'); // a link that stays inside is fine
    expect([alias.status, alias.body]).toEqual([200, 'export {};']);
  });

  it('sends the strict headers with every response, errors included', async () => {
    const replies = [await get(server.url, '/'), await get(server.url, '/nope'), await get(server.url, '/', 'POST'), await getAs(server.url, '/', 'attacker.example')];
    expect(replies.map((r) => r.status)).toEqual([200, 404, 405, 421]);
    for (const { status, headers } of replies) {
      expect(headers, String(status)).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
        'cross-origin-resource-policy': 'same-origin',
      });
      const policy = String(headers['content-security-policy']).split('; ');
      expect(policy, String(status)).toEqual(expect.arrayContaining(["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "script-src 'self' 'wasm-unsafe-eval'"]));
    }
  });
});
