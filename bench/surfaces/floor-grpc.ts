import { surface as grpcV1 } from './grpc-v1.js';
import type { Surface } from './surface.js';

/** The grpc-v1 client, pointed at the floor's gRPC server (bench/floor/floor-server.ts). */
export const surface: Surface = {
  connect(target, options) {
    if (target.floorGrpcAddress === undefined) throw new Error('the floor is not running');
    return grpcV1.connect({ ...target, grpcAddress: target.floorGrpcAddress }, options);
  },
};
