import type { ChildProcess } from 'node:child_process';

/** Request/response over a child's IPC channel: the orchestrator asks, the child answers. */
interface RpcRequest {
  readonly rpc: number;
  readonly op: string;
  readonly args: unknown;
}
interface RpcResponse {
  readonly rpc: number;
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: string;
}

export class RpcClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  constructor(private readonly child: ChildProcess, private readonly name: string) {
    child.on('message', (message: RpcResponse) => {
      if (typeof message !== 'object' || message === null || typeof message.rpc !== 'number') return;
      const waiter = this.pending.get(message.rpc);
      if (!waiter) return;
      this.pending.delete(message.rpc);
      clearTimeout(waiter.timer);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(message.error ?? `${name} failed`));
    });
    child.once('exit', (code, signal) => {
      for (const [, waiter] of this.pending) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error(`${name} exited (${code ?? signal})`));
      }
      this.pending.clear();
    });
  }

  call<T>(op: string, args: unknown, timeoutMs: number): Promise<T> {
    const rpc = this.next++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rpc);
        reject(new Error(`${this.name}: ${op} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rpc, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.send({ rpc, op, args } satisfies RpcRequest);
    });
  }
}

/** The child side: runs handlers by op name, one answer per request. */
export function serveRpc(handlers: Record<string, (args: any) => Promise<unknown>>): void {
  process.on('message', (message: RpcRequest) => {
    if (typeof message !== 'object' || message === null || typeof message.rpc !== 'number') return;
    const handler = handlers[message.op];
    const reply = (response: RpcResponse) => process.send?.(response);
    if (!handler) return reply({ rpc: message.rpc, ok: false, error: `unknown op ${message.op}` });
    handler(message.args).then(
      (value) => reply({ rpc: message.rpc, ok: true, value }),
      (error: unknown) => reply({ rpc: message.rpc, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
}
