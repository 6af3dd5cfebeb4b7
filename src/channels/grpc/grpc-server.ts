import { Server, ServerCredentials, type ChannelOptions } from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import type { Logger } from '../../use-cases/ports.js';
import type { Authenticator } from '../auth/authenticator.js';
import { CallAuth } from './call-auth.js';
import { chatServiceV1 } from './chat-service-v1.js';
import { toGrpcStatus } from './grpc-errors.js';
import { settlesWithin } from '../../lib/settles-within.js';
import type { GrpcContext, GrpcCore } from './grpc-context.js';
import { OpenStreams } from './open-streams.js';
import { NO_REQUEST_METRICS, type RequestMetrics } from '../request-metrics.js';
import { HealthMonitor } from './health-monitor.js';
import { legacyChatService } from './legacy-chat-service.js';
import { LOADER_OPTIONS, loadChatProtos } from './load-protos.js';
import { withFileDependencies } from './reflection-descriptors.js';

export interface GrpcLimits {
  /** Larger requests are refused with RESOURCE_EXHAUSTED before they are parsed. */
  readonly maxReceiveMessageBytes: number;
  /** Ping a connection idle this long, to find dead peers (half-open TCP, vanished NAT entries). */
  readonly keepaliveTimeMs: number;
  /** Close a connection whose ping is not answered within this. */
  readonly keepaliveTimeoutMs: number;
  /** Concurrent calls per connection. */
  readonly maxConcurrentStreams: number;
}

export const DEFAULT_GRPC_LIMITS: GrpcLimits = {
  maxReceiveMessageBytes: 1024 * 1024,
  keepaliveTimeMs: 60_000,
  keepaliveTimeoutMs: 20_000,
  maxConcurrentStreams: 1_000,
};

export interface GrpcServerOptions {
  readonly core: GrpcCore;
  readonly auth: Authenticator;
  readonly logger: Logger;
  /** The store's readiness, for the health service. */
  readonly checkReady: () => Promise<void>;
  readonly limits?: Partial<GrpcLimits>;
  /** Counts calls by method and status (Prometheus). */
  readonly requestMetrics?: RequestMetrics | undefined;
}

export interface GrpcServer {
  /** Binds and serves; returns the bound port (port 0 picks a free one). */
  start(host: string, port: number): Promise<number>;
  /** Reports NOT_SERVING from now on, so balancers stop sending new calls. */
  reportNotServing(): void;
  /**
   * Reports NOT_SERVING, lets open streams finish for up to `graceMs`, ends
   * the rest with UNAVAILABLE, lets unary calls finish for up to `graceMs`,
   * then cuts what is left.
   */
  stop(graceMs: number): Promise<void>;
}

const LEGACY_SERVICE = 'pb.ChatService';
const V1_SERVICE = 'chatservice.v1.ChatService';
const PUBLIC_SERVICES = new Set([
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
]);

/**
 * The gRPC channel: the original pb.ChatService, chatservice.v1.ChatService,
 * health and reflection on one server, authenticated by one interceptor.
 */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const limits = { ...DEFAULT_GRPC_LIMITS, ...options.limits };
  const { logger } = options;
  const protos = loadChatProtos();
  const auth = new CallAuth({
    auth: options.auth,
    publicServices: PUBLIC_SERVICES,
    toStatus: (error) => toGrpcStatus(error, logger),
  });
  const health = new HealthMonitor({ services: [LEGACY_SERVICE, V1_SERVICE], checkReady: options.checkReady, logger });

  const channelOptions: ChannelOptions = {
    'grpc.max_receive_message_length': limits.maxReceiveMessageBytes,
    'grpc.keepalive_time_ms': limits.keepaliveTimeMs,
    'grpc.keepalive_timeout_ms': limits.keepaliveTimeoutMs,
    'grpc.max_concurrent_streams': limits.maxConcurrentStreams,
  };
  const server = new Server({ ...channelOptions, interceptors: [auth.interceptor, health.interceptor] });

  const openStreams = new OpenStreams();
  const ctx: GrpcContext = { core: options.core, auth, logger, openStreams, requestMetrics: options.requestMetrics ?? NO_REQUEST_METRICS };
  server.addService(protos.services.pb.ChatService.service, legacyChatService(ctx));
  server.addService(protos.services.chatservice.v1.ChatService.service, chatServiceV1(ctx));
  health.addToServer(server);
  // Reflection describes our services and the health service, so generic clients (grpcurl, Postman) can call them.
  const healthDefinition = loadSync(healthProtoPath, LOADER_OPTIONS);
  // withFileDependencies: strict clients need every served file to list its imports.
  new ReflectionService(withFileDependencies({ ...protos.definition, ...healthDefinition })).addToServer(server);

  return {
    async start(host, port) {
      const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const bound = await new Promise<number>((resolve, reject) => {
        server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) =>
          error ? reject(error) : resolve(boundPort),
        );
      });
      await health.start();
      return bound;
    },

    reportNotServing() {
      health.stop();
    },

    async stop(graceMs) {
      health.stop();
      await settlesWithin(openStreams.whenEmpty(), graceMs);
      openStreams.endAll('The server is shutting down; retry, and resume a reply with WatchReply from its last cursor');
      const drained = await settlesWithin(new Promise<void>((resolve) => server.tryShutdown(() => resolve())), graceMs);
      if (!drained) {
        logger.warn({ graceMs }, 'grpc calls still running after the grace period: cutting them');
        server.forceShutdown();
      }
    },
  };
}
