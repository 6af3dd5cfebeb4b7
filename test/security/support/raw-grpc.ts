import { connect, constants } from 'node:http2';
import { withTimeout } from '../../graphql/graphql-clients.js';
import { SERVICE_TOKEN } from '../../support/test-app.js';

export interface RawGrpcAnswer {
  readonly grpcStatus: number;
  readonly message: string;
}

/** A gRPC length-prefixed message: the compressed flag, the length, the bytes. */
export function grpcFrame(payload: Uint8Array, compressedFlag: 0 | 1 = 0): Buffer {
  const header = Buffer.alloc(5);
  header.writeUInt8(compressedFlag, 0);
  header.writeUInt32BE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/**
 * One gRPC call over a bare HTTP/2 stream, so that frames and headers are
 * exactly what the test chooses; resolves with the call's final status.
 */
export async function rawGrpcCall(
  port: number,
  path: string,
  body: Uint8Array,
  headers: Record<string, string> = {},
): Promise<RawGrpcAnswer> {
  const session = connect(`http://127.0.0.1:${port}`);
  session.on('error', () => {});
  try {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: path,
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${SERVICE_TOKEN}`,
      ...headers,
    });
    const final = new Promise<Record<string, unknown>>((resolve, reject) => {
      let head: Record<string, unknown> = {};
      stream.on('response', (h) => (head = h));
      stream.on('trailers', (t) => resolve(t));
      // A trailers-only answer carries the status in its headers.
      stream.on('end', () => resolve(head));
      stream.on('error', reject);
    });
    stream.on('data', () => {});
    stream.end(body);
    const result = await withTimeout(final, 5_000, `the status of ${path}`);
    return { grpcStatus: Number(result['grpc-status']), message: decodeURIComponent(String(result['grpc-message'] ?? '')) };
  } finally {
    session.close();
  }
}
