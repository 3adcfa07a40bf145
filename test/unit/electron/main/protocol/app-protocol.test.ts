import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, serveApp } from '../../../../../electron/main/protocol/app-protocol.ts';
import { RENDERER_CSP } from '../../../../../electron/main/protocol/content-security-policy.ts';
import { FakeProtocol } from '../../fakes.ts';

let root: string;
let rendererDir: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kiosk-app-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.json'), '{"secretKey":"x"}');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const handler = () => createAppProtocolHandler({ rendererDir, outOfServiceHtml: () => '<h1>本机暂停服务</h1>' });
const req = (url: string, init: RequestInit & { initiatorOrigin?: string } = {}) => Object.assign(new Request(url, init), { initiatorOrigin: init.initiatorOrigin });

describe('app:// protocol', () => {
  it('is registered as a standard, secure scheme without CSP bypass or CORS', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } });
    const protocol = new FakeProtocol();
    serveApp(protocol, { rendererDir, outOfServiceHtml: () => '' });
    expect([...protocol.handlers.keys()]).toEqual(['app']);
  });

  it('serves the renderer with the CSP and security headers', async () => {
    const res = await handler()(req('app://kiosk/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>t</title>');
    const js = await handler()(req('app://kiosk/assets/index-abc.js', { initiatorOrigin: 'app://kiosk' }));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('has a CSP that allows only our own scripts and no remote anything', () => {
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).toContain("script-src 'self'");
    expect(RENDERER_CSP).toContain("object-src 'none'");
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|https?:|ws:|\*/);
    expect(RENDERER_CSP).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('refuses paths outside the renderer, other hosts, other methods and other initiators', async () => {
    const h = handler();
    expect((await h(req('app://kiosk/../secret.json'))).status).toBe(404);
    expect((await h(req('app://kiosk/%2e%2e/secret.json'))).status).toBe(404);
    expect((await h(req('app://kiosk/..%2fsecret.json'))).status).toBe(404);
    expect((await h(req('app://kiosk/missing.js'))).status).toBe(404);
    expect((await h(req('app://other/index.html'))).status).toBe(404);
    expect((await h(req('app://kiosk/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
    expect((await h(req('app://kiosk/index.html', { initiatorOrigin: 'null' }))).status).toBe(403);
    expect((await h(req('app://kiosk/index.html', { initiatorOrigin: 'https://evil.example' }))).status).toBe(403);
  });

  it('serves the built-in out-of-service page with the same CSP', async () => {
    const res = await handler()(req('app://kiosk/__out-of-service'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await res.text()).toContain('本机暂停服务');
  });
});
