import type { Surface } from './surface.js';

export type SurfaceName = 'direct' | 'peer-portkey' | 'floor-grpc' | 'floor-ws' | 'http-chat' | 'graphql-ws' | 'graphql-sse' | 'grpc-v1' | 'grpc-legacy';

export interface SurfaceInfo {
  readonly name: SurfaceName;
  readonly label: string;
  /**
   * baseline: the direct call every "added" figure subtracts; peer: another gateway; floor: the
   * minimal pass-through every service surface's CPU and throughput is divided by; service: ours.
   */
  readonly kind: 'baseline' | 'peer' | 'floor' | 'service';
  /** For service surfaces: the floor with the same wire protocol (or the nearest), measured in the same run. */
  readonly floor?: SurfaceName;
  /** Whether the client sees the reply piece by piece (POST /chat returns it whole). */
  readonly streaming: boolean;
  /** For service surfaces: what src/app.ts mentions once the channel is wired in. */
  readonly wiredWhen?: RegExp;
  load(): Promise<Surface>;
}

/** Every surface the bench knows, in report order. Each is one module in this folder. */
export const SURFACES: readonly SurfaceInfo[] = [
  { name: 'direct', label: 'direct (openai SDK → upstream)', kind: 'baseline', streaming: true, load: async () => (await import('./direct.js')).surface },
  { name: 'peer-portkey', label: 'peer: @portkey-ai/gateway', kind: 'peer', streaming: true, load: async () => (await import('./peer-portkey.js')).surface },
  { name: 'floor-grpc', label: 'floor: pass-through, v1 gRPC', kind: 'floor', streaming: true, load: async () => (await import('./floor-grpc.js')).surface },
  { name: 'floor-ws', label: 'floor: pass-through, graphql-ws', kind: 'floor', streaming: true, load: async () => (await import('./floor-ws.js')).surface },
  { name: 'grpc-v1', label: 'gRPC v1 SendMessage', kind: 'service', streaming: true, floor: 'floor-grpc', wiredWhen: /grpc/i, load: async () => (await import('./grpc-v1.js')).surface },
  { name: 'grpc-legacy', label: 'gRPC legacy ChatStream', kind: 'service', streaming: true, floor: 'floor-grpc', wiredWhen: /grpc/i, load: async () => (await import('./grpc-legacy.js')).surface },
  { name: 'graphql-ws', label: 'GraphQL subscription (graphql-ws)', kind: 'service', streaming: true, floor: 'floor-ws', wiredWhen: /graphql/i, load: async () => (await import('./graphql-ws.js')).surface },
  { name: 'graphql-sse', label: 'GraphQL subscription (SSE)', kind: 'service', streaming: true, floor: 'floor-ws', wiredWhen: /graphql/i, load: async () => (await import('./graphql-sse.js')).surface },
  { name: 'http-chat', label: 'HTTP POST /chat (not streaming)', kind: 'service', streaming: false, load: async () => (await import('./http-chat.js')).surface },
];

export function surfaceInfo(name: SurfaceName): SurfaceInfo {
  const info = SURFACES.find((s) => s.name === name);
  if (!info) throw new Error(`unknown surface ${name}`);
  return info;
}
