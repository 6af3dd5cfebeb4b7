import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql as apolloGql } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Client as UrqlClient, cacheExchange, fetchExchange, subscriptionExchange, gql as urqlGql } from '@urql/core';
import { OperationTypeNode } from 'graphql';
import { GraphQLClient } from 'graphql-request';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SERVICE_TOKEN, useTestApp } from '../support/test-app.js';

/*
 * The common GraphQL clients, each configured as its documentation shows
 * (URL, credentials, and the documented subscription transport), with no
 * extra header or option for this service: urql sends queries as GET by
 * default, Apollo Client and graphql-request POST JSON.
 */

const MODELS = '{ models { name contextWindow } }';
const CREATE_CHAT = 'mutation CreateChat($title: String) { createChat(input: { title: $title }) { id title } }';
const SEND = `subscription Send($input: SendMessageInput!) {
  sendMessage(input: $input) {
    __typename
    ... on ReplyDelta { text }
    ... on ReplyCompleted { message { content status } }
  }
}`;

interface SendEvent {
  readonly __typename: string;
  readonly text?: string;
  readonly message?: { content: string; status: string };
}

const headers = { authorization: `Bearer ${SERVICE_TOKEN}`, 'x-user-id': 'alice' };

describe('GraphQL clients with their default configuration', () => {
  const t = useTestApp('sqlite');
  const wsClients: WsClient[] = [];
  const wsClient = () => {
    const client = createWsClient({
      url: `${t().httpUrl.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${SERVICE_TOKEN}`, userId: 'alice' },
    });
    wsClients.push(client);
    return client;
  };
  afterEach(async () => {
    for (const client of wsClients.splice(0)) await client.dispose();
  });

  const expectReply = (events: readonly SendEvent[], text: string) => {
    expect(events.filter((e) => e.__typename === 'ReplyDelta').map((e) => e.text).join('')).toBe(text);
    expect(events.at(-1)).toMatchObject({ __typename: 'ReplyCompleted', message: { content: text, status: 'COMPLETE' } });
  };

  it('urql: a query (sent as GET), a mutation and a subscription', async () => {
    const ws = wsClient();
    const client = new UrqlClient({
      url: `${t().httpUrl}/graphql`,
      fetchOptions: { headers },
      exchanges: [
        cacheExchange,
        fetchExchange,
        subscriptionExchange({
          forwardSubscription: (request) => ({
            subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
          }),
        }),
      ],
    });
    const query = await client.query(urqlGql(MODELS), {}).toPromise();
    expect(query.operation.context.preferGetMethod).toBe('within-url-limit');
    expect(query.error).toBeUndefined();
    expect(query.data.models.length).toBeGreaterThan(0);

    const mutation = await client.mutation(urqlGql(CREATE_CHAT), { title: 'From urql' }).toPromise();
    expect(mutation.error).toBeUndefined();
    expect(mutation.data.createChat.title).toBe('From urql');

    t().openai!.reply({ deltas: ['Hello ', 'urql'] });
    const events = await new Promise<SendEvent[]>((resolve, reject) => {
      const seen: SendEvent[] = [];
      client.subscription(urqlGql(SEND), { input: { content: 'Hi' } }).subscribe((result) => {
        if (result.error) reject(result.error);
        seen.push(result.data.sendMessage);
        if (result.data.sendMessage.__typename === 'ReplyCompleted') resolve(seen);
      });
    });
    expectReply(events, 'Hello urql');
  });

  it('Apollo Client: a query, a mutation and a subscription (GraphQLWsLink, as its docs show)', async () => {
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: ApolloLink.split(
        (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
        new GraphQLWsLink(wsClient()),
        new HttpLink({ uri: `${t().httpUrl}/graphql`, headers }),
      ),
    });
    const query = await client.query<{ models: { name: string }[] }>({ query: apolloGql(MODELS) });
    expect(query.data?.models.length).toBeGreaterThan(0);

    const mutation = await client.mutate<{ createChat: { title: string } }>({ mutation: apolloGql(CREATE_CHAT), variables: { title: 'From Apollo' } });
    expect(mutation.data?.createChat.title).toBe('From Apollo');

    t().openai!.reply({ deltas: ['Hello ', 'Apollo'] });
    const events = await new Promise<SendEvent[]>((resolve, reject) => {
      const seen: SendEvent[] = [];
      client.subscribe<{ sendMessage: SendEvent }>({ query: apolloGql(SEND), variables: { input: { content: 'Hi' } } }).subscribe({
        next: (result) => {
          if (result.error) reject(result.error);
          if (result.data) seen.push(result.data.sendMessage);
        },
        error: reject,
        complete: () => resolve(seen),
      });
    });
    expectReply(events, 'Hello Apollo');
    client.stop();
  });

  it('graphql-request: a query and a mutation; its subscription companion graphql-sse with the same headers', async () => {
    const client = new GraphQLClient(`${t().httpUrl}/graphql`, { headers });
    const query = await client.request<{ models: { name: string }[] }>(MODELS);
    expect(query.models.length).toBeGreaterThan(0);
    const mutation = await client.request<{ createChat: { title: string } }>(CREATE_CHAT, { title: 'From graphql-request' });
    expect(mutation.createChat.title).toBe('From graphql-request');

    // graphql-request speaks plain HTTP only; graphql-sse is the HTTP subscription client Yoga documents.
    t().openai!.reply({ deltas: ['Hello ', 'SSE'] });
    const sse = createSseClient({ url: `${t().httpUrl}/graphql`, headers });
    const events: SendEvent[] = [];
    for await (const result of sse.iterate<{ sendMessage: SendEvent }>({ query: SEND, variables: { input: { content: 'Hi' } } })) {
      expect(result.errors).toBeUndefined();
      events.push(result.data!.sendMessage);
    }
    sse.dispose();
    expectReply(events, 'Hello SSE');
  });
});
