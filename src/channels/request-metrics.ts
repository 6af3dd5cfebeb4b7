/** What the channels report to metrics: how many calls each protocol served, and how they ended. No ids as labels. */
export interface RequestMetrics {
  graphqlOperation(operation: 'query' | 'mutation' | 'subscription', outcome: 'ok' | 'error'): void;
  /** `method` is the gRPC path (`/chatservice.v1.ChatService/SendMessage`); `code` the status name (`OK`, `NOT_FOUND`, ...). */
  grpcCall(method: string, code: string): void;
}

export const NO_REQUEST_METRICS: RequestMetrics = {
  graphqlOperation: () => {},
  grpcCall: () => {},
};
