import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import { parseAuthorization } from './authorization-header.js';
import { JwtVerifier, type JwtOptions } from './jwt-verifier.js';
import { checkUserId } from './user-id.js';

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
  // Only the empty string means "not named": " alice" is checked (and refused) as it is, never trimmed.
  const named = actingFor === undefined || actingFor === '' ? undefined : actingFor;
  if (credential.kind === 'service') {
    if (named === undefined) {
      throw new DomainError('INVALID_INPUT', 'user_id is required when calling with a service token');
    }
    return { kind: 'service', userId: checkUserId(named) };
  }
  if (named !== undefined && named !== credential.userId) {
    throw unauthenticated('This token cannot act for another user');
  }
  return { kind: 'user', userId: credential.userId };
}

export interface AuthOptions {
  readonly serviceTokens: readonly string[];
  readonly jwt?: JwtOptions | undefined;
}

const unauthenticated = (message = 'Missing or invalid credentials') => new DomainError('UNAUTHENTICATED', message);
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The one place every channel turns credentials into a Caller. Accepts
 * `authorization: <token>` (as the original service did) and
 * `authorization: Bearer <token>`, read by one rule (parseAuthorization).
 */
export class Authenticator {
  // Digests have one length, so timingSafeEqual applies and the token's length does not leak.
  private readonly tokenDigests: readonly Buffer[];
  private readonly jwt: JwtVerifier | undefined;

  constructor(options: AuthOptions) {
    this.tokenDigests = options.serviceTokens.map(digest);
    this.jwt = options.jwt?.secret || options.jwt?.jwksUrl ? new JwtVerifier(options.jwt) : undefined;
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
    if (this.jwt === undefined || !looksLikeJwt(token)) throw unauthenticated();
    return { kind: 'user', userId: await this.jwt.verify(token) };
  }

  private isServiceToken(token: string): boolean {
    const candidate = digest(token);
    let match = false;
    for (const known of this.tokenDigests) match = timingSafeEqual(candidate, known) || match;
    return match;
  }
}

const looksLikeJwt = (token: string) => /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
