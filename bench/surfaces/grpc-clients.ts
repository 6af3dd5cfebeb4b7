import { join } from 'node:path';
import { credentials, loadPackageDefinition, Metadata, type Client, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { ROOT } from '../lib/processes.js';

/** Streams per HTTP/2 connection before the surface opens another one (a BFF keeps a few). */
const STREAMS_PER_CONNECTION = 100;
const MAX_CONNECTIONS = 16;

/**
 * A small pool of clients of one service from proto/, each on its own
 * connection, picked round-robin. Loaded from the .proto files at run time,
 * as any client of the published API would.
 */
export function grpcClients(protoFile: string, servicePath: readonly string[], address: string, slots: number): { next(): Client; metadata: Metadata; close(): void } {
  const definition = loadSync(join(ROOT, 'proto', protoFile), {
    includeDirs: [join(ROOT, 'proto')],
    keepCase: false,
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  let node: unknown = loadPackageDefinition(definition);
  for (const key of servicePath) node = (node as Record<string, unknown> | undefined)?.[key];
  if (typeof node !== 'function') throw new Error(`${servicePath.join('.')} is not in proto/${protoFile}`);
  const Service = node as ServiceClientConstructor;
  const count = Math.min(MAX_CONNECTIONS, Math.max(1, Math.ceil(slots / STREAMS_PER_CONNECTION)));
  const clients = Array.from({ length: count }, () =>
    new Service(address, credentials.createInsecure(), {
      'grpc.use_local_subchannel_pool': 1,
      'grpc.max_receive_message_length': 16 * 1024 * 1024,
    }),
  );
  let i = 0;
  return {
    next: () => clients[(i++) % clients.length]!,
    metadata: new Metadata(),
    close: () => {
      for (const client of clients) client.close();
    },
  };
}

export function authMetadata(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}
