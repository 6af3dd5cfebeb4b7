import { status, type ServiceError } from '@grpc/grpc-js';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { ModelsDocument } from '../graphql/generated/graphql.js';
import { execute } from '../graphql/graphql-clients.js';
import { auth, unary, v1Client } from '../grpc/support/grpc-clients.js';
import { useTestApp, type TestApp } from '../support/test-app.js';

const JWT_SECRET = 'a-test-secret-of-at-least-32-characters!';
const sign = (build: (jwt: SignJWT) => SignJWT) =>
  build(new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('carol')).sign(new TextEncoder().encode(JWT_SECRET));
const withoutExp = () => sign((jwt) => jwt);

async function answersOverHttpAndGrpc(app: TestApp, token: string): Promise<{ http: number; grpc: number }> {
  const overHttp = await execute(app, ModelsDocument, {}, { authorization: `Bearer ${token}`, userId: '' });
  const client = v1Client(app.grpcPort);
  try {
    const grpc = await unary((cb) => client.ListChats({ user_id: '' }, auth(`Bearer ${token}`), cb)).then(
      () => status.OK,
      (error: ServiceError) => error.code,
    );
    return { http: overHttp.status, grpc };
  } finally {
    client.close();
  }
}

describe('JWT expiry by default', () => {
  const app = useTestApp('sqlite', { openai: false, env: { JWT_SECRET } });

  it('refuses a token without exp on every channel', async () => {
    expect(await answersOverHttpAndGrpc(app(), await withoutExp())).toEqual({ http: 401, grpc: status.UNAUTHENTICATED });
  });

  it('refuses a token that is not valid yet, and accepts one that is', async () => {
    const notYet = await sign((jwt) => jwt.setNotBefore('10m').setExpirationTime('20m'));
    expect(await answersOverHttpAndGrpc(app(), notYet)).toEqual({ http: 401, grpc: status.UNAUTHENTICATED });
    const valid = await sign((jwt) => jwt.setExpirationTime('5m'));
    expect(await answersOverHttpAndGrpc(app(), valid)).toEqual({ http: 200, grpc: status.OK });
  });
});

describe('JWT_ALLOW_MISSING_EXP=true (unsafe)', () => {
  const app = useTestApp('sqlite', { openai: false, env: { JWT_SECRET, JWT_ALLOW_MISSING_EXP: 'true' } });

  it('accepts a token without exp', async () => {
    expect(await answersOverHttpAndGrpc(app(), await withoutExp())).toEqual({ http: 200, grpc: status.OK });
  });

  it('accepts only true or false', () => {
    expect(() => loadConfig({ JWT_SECRET, JWT_ALLOW_MISSING_EXP: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_SECRET, JWT_ALLOW_MISSING_EXP: 'yes' })).toThrow(/JWT_ALLOW_MISSING_EXP/);
  });
});
