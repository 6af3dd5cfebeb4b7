/**
 * The one rule every channel uses to read a credential from an
 * `authorization` value (HTTP header, gRPC metadata, graphql-ws
 * connectionParams): surrounding whitespace is ignored, as HTTP/1.1 parsers
 * strip it before we see it anyway; an optional `Bearer` scheme (any case,
 * one or more spaces) is dropped; what remains is the token, or nothing.
 *
 * Over gRPC a value with surrounding whitespace never arrives: HTTP/2
 * (RFC 9113 §8.2.1) makes such a field malformed, and Node's HTTP/2 layer
 * drops it, so the call has no credential and is UNAUTHENTICATED.
 */
export function parseAuthorization(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const token = trimmed.replace(/^bearer\s+/i, '');
  if (token.length === 0 || /^bearer$/i.test(token)) return undefined;
  return token;
}
