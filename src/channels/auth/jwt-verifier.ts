import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { DomainError } from '../../domain/errors.js';
import { checkUserId } from './user-id.js';

export interface JwtOptions {
  readonly secret?: string | undefined;
  readonly jwksUrl?: string | undefined;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
  /**
   * Accept tokens without `exp`. Unsafe: such a token, once leaked, works
   * forever. Only for identity providers that cannot set it.
   */
  readonly allowMissingExp?: boolean | undefined;
}

/** Clocks of the identity provider and of this server may differ by this much. */
export const JWT_CLOCK_TOLERANCE_SECONDS = 30;

const unauthenticated = (message = 'Missing or invalid credentials') => new DomainError('UNAUTHENTICATED', message);

/**
 * End-user JWTs: HS256 with a shared secret, or RS256/ES256 keys from a JWKS
 * (as Keycloak issues). The token must carry `exp` (unless configured
 * otherwise); `exp` and `nbf` are checked with a small clock tolerance. The
 * subject is the user id, held to the same rule as any other user id.
 */
export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly verifyOptions: JWTVerifyOptions;

  constructor(options: JwtOptions) {
    if (!options.secret && !options.jwksUrl) throw new Error('A JWT verifier needs a secret or a JWKS URL');
    this.key = options.secret ? new TextEncoder().encode(options.secret) : createRemoteJWKSet(new URL(options.jwksUrl!));
    this.verifyOptions = {
      algorithms: options.secret ? ['HS256'] : ['RS256', 'ES256'],
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: options.allowMissingExp ? [] : ['exp'],
      clockTolerance: JWT_CLOCK_TOLERANCE_SECONDS,
    };
  }

  /** The token's subject, or UNAUTHENTICATED. */
  async verify(token: string): Promise<string> {
    let subject: unknown;
    try {
      const key = this.key;
      const { payload } =
        typeof key === 'function' ? await jwtVerify(token, key, this.verifyOptions) : await jwtVerify(token, key, this.verifyOptions);
      subject = payload.sub;
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('The token has expired');
      if (error instanceof joseErrors.JOSEError) throw unauthenticated();
      throw new DomainError('UNAUTHENTICATED', 'Credentials could not be verified', { cause: error });
    }
    if (typeof subject !== 'string' || subject === '') throw unauthenticated('The token has no subject');
    try {
      return checkUserId(subject);
    } catch {
      throw unauthenticated('The token subject is not a valid user id');
    }
  }
}
