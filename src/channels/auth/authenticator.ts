import { createHash, timingSafeEqual } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { validateUserId } from '../../domain/chat.js';
import { DomainError } from '../../domain/errors.js';

/** Who is calling, after authentication: the user id every use case is scoped by. */
export interface Caller {
  readonly userId: string;
  /** 'service': a trusted backend acting for a user it names; 'user': an end user with a JWT. */
  readonly kind: 'service' | 'user';
}

/** A verified credential: a service token may act for any user, a JWT only for its subject. */
export type Credential = { readonly kind: 'service' } | { readonly kind: 'user'; readonly userId: string };

/** The user a request acts for: named by the request for a service token, the JWT's subject otherwise. */
export function actAs(credential: Credential, actingFor: string | undefined): Caller {
  const named = actingFor === undefined || actingFor.trim() === '' ? undefined : actingFor;
  if (credential.kind === 'service') {
    if (named === undefined) {
      throw new DomainError('INVALID_INPUT', 'user_id is required when calling with a service token');
    }
    return { kind: 'service', userId: validateUserId(named) };
  }
  if (named !== undefined && named !== credential.userId) {
    throw unauthenticated('This token cannot act for another user');
  }
  return { kind: 'user', userId: credential.userId };
}

export interface AuthOptions {
  readonly serviceTokens: readonly string[];
  readonly jwt?: {
    readonly secret?: string | undefined;
    readonly jwksUrl?: string | undefined;
    readonly issuer?: string | undefined;
    readonly audience?: string | undefined;
  } | undefined;
}

const unauthenticated = (message = 'Missing or invalid credentials') => new DomainError('UNAUTHENTICATED', message);
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The one place every channel turns credentials into a Caller. Accepts
 * `authorization: <token>` (as the original service did) and
 * `authorization: Bearer <token>`.
 */
export class Authenticator {
  // Digests have one length, so timingSafeEqual applies and the token's length does not leak.
  private readonly tokenDigests: readonly Buffer[];
  private readonly jwtKey: Uint8Array | JWTVerifyGetKey | undefined;

  constructor(private readonly options: AuthOptions) {
    this.tokenDigests = options.serviceTokens.map(digest);
    const jwt = options.jwt;
    this.jwtKey = jwt?.secret
      ? new TextEncoder().encode(jwt.secret)
      : jwt?.jwksUrl
        ? createRemoteJWKSet(new URL(jwt.jwksUrl))
        : undefined;
  }

  /** Verifies credentials and the user they act for in one step. */
  async authenticate(authorization: string | undefined, actingFor: string | undefined): Promise<Caller> {
    return actAs(await this.identify(authorization), actingFor);
  }

  /**
   * Verifies the credential alone, before anything of the request is read
   * (so a bad token is UNAUTHENTICATED whatever the body holds).
   */
  async identify(authorization: string | undefined): Promise<Credential> {
    const token = parseAuthorization(authorization);
    if (token === undefined) throw unauthenticated();
    if (this.isServiceToken(token)) return { kind: 'service' };
    if (this.jwtKey === undefined || !looksLikeJwt(token)) throw unauthenticated();
    return { kind: 'user', userId: await this.verifyJwt(token) };
  }

  private isServiceToken(token: string): boolean {
    const candidate = digest(token);
    let match = false;
    for (const known of this.tokenDigests) match = timingSafeEqual(candidate, known) || match;
    return match;
  }

  private async verifyJwt(token: string): Promise<string> {
    const jwt = this.options.jwt!;
    try {
      const options = {
        algorithms: jwt.secret ? ['HS256'] : ['RS256', 'ES256'],
        issuer: jwt.issuer,
        audience: jwt.audience,
      };
      const key = this.jwtKey!;
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options);
      if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated('The token has no subject');
      return validateUserId(payload.sub);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired');
      if (error instanceof joseErrors.JOSEError) throw unauthenticated();
      throw new DomainError('UNAUTHENTICATED', 'Credentials could not be verified', { cause: error });
    }
  }
}

export function parseAuthorization(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const token = /^bearer\s+/i.test(value) ? value.replace(/^bearer\s+/i, '') : value;
  return token.length > 0 ? token : undefined;
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
