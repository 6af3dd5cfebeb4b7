/**
 * The page's Content-Security-Policy: scripts, styles and images from this
 * origin only (no inline script, no eval), network to this origin and its
 * WebSocket, nothing framed, no plugins, and Trusted Types, so the only HTML
 * that can reach the DOM is what DOMPurify made (its policy is the only one
 * allowed). `'self'` covers ws:/wss: of the page's own host in current
 * browsers; they are named too, for those that do not.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const socket = host !== undefined && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    `connect-src 'self'${socket}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    'trusted-types dompurify',
  ].join('; ');
}

/** A Host header fit to repeat in a header: name or address, optional port; anything else is left out. */
const SAFE_HOST = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
