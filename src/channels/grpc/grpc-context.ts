import type { ChatCore } from '../../use-cases/chat-core.js';
import type { Logger } from '../../use-cases/ports.js';
import type { RequestMetrics } from '../request-metrics.js';
import type { CallAuth } from './call-auth.js';
import type { OpenStreams } from './open-streams.js';

/** The use cases the gRPC services call (v1 and the legacy ChatService). */
export type GrpcCore = Pick<
  ChatCore,
  'sendMessage' | 'stopReply' | 'watchReply' | 'getChat' | 'listChats' | 'listMessagesOf' | 'deleteChat' | 'contextSummary' | 'usage' | 'limits'
>;

/** What every service implementation needs. */
export interface GrpcContext {
  readonly core: GrpcCore;
  readonly auth: CallAuth;
  readonly logger: Logger;
  readonly openStreams: OpenStreams;
  /** Counts calls by method and status (Prometheus). */
  readonly requestMetrics: RequestMetrics;
}
