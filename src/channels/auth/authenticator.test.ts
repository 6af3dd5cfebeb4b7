import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { Authenticator } from './authenticator.js';

const TOKEN = 'service-token-123';
const SECRET = 'x'.repeat(32);

const hs256 = (claims: Record<string, unknown>, secret = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(secret));

describe('Authenticator with service tokens', () => {
  const auth = new Authenticator({ serviceTokens: ['other-token-456', TOKEN] });

  it('accepts the token raw or as a Bearer token and acts for the named user', async () => {
    await expect(auth.authenticate(TOKEN, 'alice')).resolves.toEqual({ kind: 'service', userId: 'alice' });
    await expect(auth.authenticate(`Bearer ${TOKEN}`, 'bob')).resolves.toEqual({ kind: 'service', userId: 'bob' });
    await expect(auth.authenticate(`bearer   ${TOKEN}`, 'bob')).resolves.toMatchObject({ userId: 'bob' });
  });

  it.each([undefined, '', 'Bearer ', 'wrong-token', `${TOKEN}x`, TOKEN.slice(0, -1)])('refuses %j as UNAUTHENTICATED', async (header) => {
    await expect(auth.authenticate(header, 'alice')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('requires a user id with a service token', async () => {
    await expect(auth.authenticate(TOKEN, undefined)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(auth.authenticate(TOKEN, ' ')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it.each(['alice ', ' alice', 'alice\u0000', 'ali\nce'])('refuses to act for %j, never trimming it into alice', async (userId) => {
    await expect(auth.authenticate(TOKEN, userId)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('Authenticator with HS256 JWTs', () => {
  const auth = new Authenticator({ serviceTokens: [TOKEN], jwt: { secret: SECRET, issuer: 'https://id.example', audience: 'chat' } });

  it('acts as the subject', async () => {
    const jwt = await hs256({ sub: 'carol', iss: 'https://id.example', aud: 'chat' });
    await expect(auth.authenticate(`Bearer ${jwt}`, undefined)).resolves.toEqual({ kind: 'user', userId: 'carol' });
    await expect(auth.authenticate(jwt, 'carol')).resolves.toEqual({ kind: 'user', userId: 'carol' });
  });

  it('refuses to act for another user', async () => {
    const jwt = await hs256({ sub: 'carol', iss: 'https://id.example', aud: 'chat' });
    await expect(auth.authenticate(jwt, 'dave')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each([
    ['a wrong secret', () => hs256({ sub: 'carol', iss: 'https://id.example', aud: 'chat' }, 'y'.repeat(32))],
    ['a wrong issuer', () => hs256({ sub: 'carol', iss: 'https://evil.example', aud: 'chat' })],
    ['a wrong audience', () => hs256({ sub: 'carol', iss: 'https://id.example', aud: 'other' })],
    ['no subject', () => hs256({ iss: 'https://id.example', aud: 'chat' })],
    ['an expired token', () =>
      new SignJWT({ sub: 'carol', iss: 'https://id.example', aud: 'chat' })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
        .sign(new TextEncoder().encode(SECRET))],
  ])('refuses %s', async (_name, makeToken) => {
    await expect(auth.authenticate(await makeToken(), undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});

describe('Authenticator with JWT times', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const signed = (claims: Record<string, unknown>) =>
    new SignJWT({ sub: 'carol', ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
  const strict = new Authenticator({ serviceTokens: [], jwt: { secret: SECRET } });
  const relaxed = new Authenticator({ serviceTokens: [], jwt: { secret: SECRET, allowMissingExp: true } });

  it('refuses a token without exp by default', async () => {
    await expect(strict.authenticate(await signed({}), undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('accepts a token without exp only when configured to', async () => {
    await expect(relaxed.authenticate(await signed({}), undefined)).resolves.toMatchObject({ userId: 'carol' });
  });

  it('refuses a token that is not valid yet (nbf), even when exp may be missing', async () => {
    for (const auth of [strict, relaxed]) {
      await expect(auth.authenticate(await signed({ nbf: now() + 600, exp: now() + 900 }), undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });

  it('allows a few seconds of clock skew on exp and nbf', async () => {
    await expect(strict.authenticate(await signed({ exp: now() - 5 }), undefined)).resolves.toMatchObject({ userId: 'carol' });
    await expect(strict.authenticate(await signed({ nbf: now() + 5, exp: now() + 60 }), undefined)).resolves.toMatchObject({ userId: 'carol' });
    await expect(strict.authenticate(await signed({ exp: now() - 120 }), undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each(['carol ', ' carol', 'carol\u0000', 'car\tol'])('refuses a subject %j', async (sub) => {
    await expect(strict.authenticate(await signed({ sub, exp: now() + 60 }), undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses to act for the subject with whitespace around it', async () => {
    const token = await signed({ exp: now() + 60 });
    await expect(strict.authenticate(token, 'carol ')).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(strict.authenticate(token, 'carol')).resolves.toMatchObject({ userId: 'carol' });
  });
});

describe('Authenticator with a JWKS URL (RS256, as Keycloak issues)', async () => {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/certs`;
  const auth = new Authenticator({ serviceTokens: [], jwt: { jwksUrl } });

  it('verifies a token signed by a key from the JWKS', async () => {
    const jwt = await new SignJWT({ sub: 'erin' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('5m').sign(privateKey);
    await expect(auth.authenticate(`Bearer ${jwt}`, undefined)).resolves.toEqual({ kind: 'user', userId: 'erin' });
  });

  it('refuses an HS256 token even when signed with the public key material', async () => {
    const forged = await hs256({ sub: 'erin' }, JSON.stringify(jwk));
    await expect(auth.authenticate(forged, undefined)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });
});
