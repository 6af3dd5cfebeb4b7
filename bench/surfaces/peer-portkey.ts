import { openAISurface } from './direct.js';

/**
 * The peer: @portkey-ai/gateway proxying the same upstream (provider openai,
 * custom host = the fake upstream), called with the same lean client as the baseline.
 */
export const surface = openAISurface(
  (target) => target.peerUrl,
  (target) => ({ 'x-portkey-provider': 'openai', 'x-portkey-custom-host': target.upstreamUrl }),
);
