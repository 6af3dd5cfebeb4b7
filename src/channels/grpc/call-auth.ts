import {
  ServerInterceptingCall,
  ServerListenerBuilder,
  type Metadata,
  type ServerInterceptor,
  type StatusObject,
} from '@grpc/grpc-js';
import { DomainError } from '../../domain/errors.js';
import { actAs, type Authenticator, type Caller, type Credential } from '../auth/authenticator.js';

export interface CallAuthOptions {
  readonly auth: Authenticator;
  /** Services anyone may call (health, reflection); every other one needs credentials. */
  readonly publicServices: ReadonlySet<string>;
  readonly toStatus: (error: unknown) => StatusObject;
}

/**
 * Authentication for every gRPC call, in one server interceptor: the
 * `authorization` metadata is verified before the request is even read, then
 * the caller is resolved against the request's `user_id` (a service token acts
 * for it, a JWT only as its own subject). A refused call never reaches its
 * handler. Handlers get the resolved caller from `callerOf`.
 */
export class CallAuth {
  // Keyed by the call's metadata object, which grpc-js hands on to the handler as call.metadata.
  private readonly callers = new WeakMap<Metadata, Caller>();

  constructor(private readonly options: CallAuthOptions) {}

  readonly interceptor: ServerInterceptor = (method, call) => {
    if (this.options.publicServices.has(serviceOf(method.path))) return new ServerInterceptingCall(call);

    let identified: Promise<{ credential: Credential; metadata: Metadata }> | undefined;
    let refused = false;
    const refuse = (error: unknown) => {
      if (refused) return;
      refused = true;
      call.sendStatus(this.options.toStatus(error));
    };
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        identified = this.options.auth.identify(authorizationOf(metadata)).then((credential) => ({ credential, metadata }));
        identified.then(() => next(metadata)).catch(refuse);
      })
      .withOnReceiveMessage((message, next) => {
        if (!identified) return refuse(new DomainError('UNAUTHENTICATED', 'Missing or invalid credentials'));
        identified
          .then(({ credential, metadata }) => {
            if (refused) return;
            this.callers.set(metadata, actAs(credential, userIdOf(message)));
            next(message);
          })
          .catch(refuse);
      })
      .withOnReceiveHalfClose((next) => {
        if (!refused) next();
      })
      .build();
    return new ServerInterceptingCall(call, { start: (next) => next(listener) });
  };

  /** The caller the interceptor resolved for this call; fails closed. */
  callerOf(call: { readonly metadata: Metadata }): Caller {
    const caller = this.callers.get(call.metadata);
    if (!caller) throw new DomainError('UNAUTHENTICATED', 'Missing or invalid credentials');
    return caller;
  }
}

/** '/chatservice.v1.ChatService/SendMessage' -> 'chatservice.v1.ChatService' */
export const serviceOf = (path: string): string => path.split('/')[1] ?? '';

function authorizationOf(metadata: Metadata): string | undefined {
  const [value] = metadata.get('authorization');
  return typeof value === 'string' ? value : undefined;
}

/** Every request of our services names the user it acts for in `user_id` (empty: the JWT's subject). */
function userIdOf(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || !('user_id' in message)) return undefined;
  return typeof message.user_id === 'string' ? message.user_id : undefined;
}
