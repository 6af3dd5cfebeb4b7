/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A point in time, as an ISO 8601 string in UTC (2024-05-01T12:00:00.000Z). */
  DateTime: { input: string; output: string; }
};

/** Where a message came in: the usage ledger and metrics say which surface spent what. */
export type Channel =
  | 'GRAPHQL'
  | 'GRPC'
  | 'HTTP'
  | 'OTHER'
  | 'WHATSAPP';

export type ChannelUsage = {
  __typename?: 'ChannelUsage';
  channel: Channel;
  usage: UsageTotals;
};

/** A conversation of one user with one model. */
export type Chat = {
  __typename?: 'Chat';
  /** The reply streaming in this chat now (its assistant message), or null: how a second tab or device finds a running reply to follow with replyEvents. */
  activeReply: Maybe<Message>;
  config: ChatConfig;
  /** The running summary of erased history (SUMMARIZE chats), or null when nothing was summarised yet. */
  contextSummary: Maybe<ContextSummary>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The newest message, erased or not; loaded for a whole list of chats at once. */
  latestMessage: Maybe<Message>;
  /** Oldest first. Erased messages (out of the context window) only with includeErased. */
  messages: MessageConnection;
  model: Scalars['String']['output'];
  persona: Maybe<Persona>;
  status: ChatStatus;
  systemPrompt: Scalars['String']['output'];
  title: Scalars['String']['output'];
  /** Latest activity. */
  updatedAt: Scalars['DateTime']['output'];
};


/** A conversation of one user with one model. */
export type ChatMessagesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  includeErased?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Sampling parameters sent upstream with every request of a chat, and its context strategy. */
export type ChatConfig = {
  __typename?: 'ChatConfig';
  contextStrategy: ContextStrategy;
  frequencyPenalty: Scalars['Float']['output'];
  /** Reply budget: the most tokens one reply may have. */
  maxTokens: Scalars['Int']['output'];
  presencePenalty: Scalars['Float']['output'];
  stop: Array<Scalars['String']['output']>;
  temperature: Scalars['Float']['output'];
  topP: Scalars['Float']['output'];
};

/** Changes to a chat's sampling parameters; absent fields keep their value. */
export type ChatConfigInput = {
  /** Default: the CONTEXT_STRATEGY setting (TRUNCATE unless set). */
  contextStrategy?: InputMaybe<ContextStrategy>;
  /** -2 to 2. */
  frequencyPenalty?: InputMaybe<Scalars['Float']['input']>;
  /** 1 to the model's maxOutputTokens. */
  maxTokens?: InputMaybe<Scalars['Int']['input']>;
  /** -2 to 2. */
  presencePenalty?: InputMaybe<Scalars['Float']['input']>;
  /** At most 4 non-empty sequences. */
  stop?: InputMaybe<Array<Scalars['String']['input']>>;
  /** 0 to 2. */
  temperature?: InputMaybe<Scalars['Float']['input']>;
  /** 0 to 1. */
  topP?: InputMaybe<Scalars['Float']['input']>;
};

export type ChatConnection = {
  __typename?: 'ChatConnection';
  edges: Array<ChatEdge>;
  pageInfo: PageInfo;
};

/** The chat was deleted; the last event of its feed. */
export type ChatDeleted = {
  __typename?: 'ChatDeleted';
  chatId: Scalars['ID']['output'];
};

export type ChatEdge = {
  __typename?: 'ChatEdge';
  cursor: Scalars['String']['output'];
  node: Chat;
};

export type ChatEvent = ChatDeleted | ChatUpdated | ReplyCompleted | ReplyDelta | ReplyFailed | ReplyStarted;

/** An ENDED chat stays readable and accepts no new message. */
export type ChatStatus =
  | 'ACTIVE'
  | 'ENDED';

/** The chat was created, renamed or ended. */
export type ChatUpdated = {
  __typename?: 'ChatUpdated';
  chat: Chat;
};

/** What happens to history that no longer fits the context window: TRUNCATE leaves it out (kept and listable); SUMMARIZE also folds it, once, into a running summary sent after the system prompt (see Chat.contextSummary). */
export type ContextStrategy =
  | 'SUMMARIZE'
  | 'TRUNCATE';

/** The running summary of the history a SUMMARIZE chat erased from its window. Sent after the system prompt as a delimited note, never as an instruction; the messages it covers stay stored and listable. */
export type ContextSummary = {
  __typename?: 'ContextSummary';
  content: Scalars['String']['output'];
  /** The last message position (seq) folded into it. */
  coversThroughSeq: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** The model that wrote it (SUMMARY_MODEL, or the chat's model). */
  model: Scalars['String']['output'];
  /** Tokens the note takes in each prompt, in the chat model's encoding. */
  tokenCount: Scalars['Int']['output'];
  /** What the summary call that produced it used, and its cost at the prices in force. */
  usage: TokenUsage;
};

export type CreateChatInput = {
  config?: InputMaybe<ChatConfigInput>;
  /** One of `models` (or a dated snapshot of one); default: the configured model. */
  model?: InputMaybe<Scalars['String']['input']>;
  /** One of `personas`; its system prompt starts the chat. */
  personaId?: InputMaybe<Scalars['ID']['input']>;
  /** A system prompt of its own, instead of a persona. */
  systemPrompt?: InputMaybe<Scalars['String']['input']>;
  /** Default: "New chat". */
  title?: InputMaybe<Scalars['String']['input']>;
};

export type DeleteChatPayload = {
  __typename?: 'DeleteChatPayload';
  deletedChatId: Scalars['ID']['output'];
};

/** Why something failed. The same codes appear in extensions.code of GraphQL errors. */
export type ErrorCode =
  | 'CHAT_BUSY'
  | 'CHAT_ENDED'
  | 'INTERNAL'
  | 'INVALID_INPUT'
  | 'MESSAGE_TOO_LARGE'
  | 'NOT_FOUND'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED'
  | 'UNAVAILABLE'
  | 'UPSTREAM_UNAVAILABLE';

/** One message of a chat: the system prompt, a user message, or a reply. */
export type Message = {
  __typename?: 'Message';
  chatId: Scalars['ID']['output'];
  content: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  /** Fell out of the context window: kept and listed on request, never sent upstream again. */
  erased: Scalars['Boolean']['output'];
  finishReason: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  model: Scalars['String']['output'];
  role: MessageRole;
  /** Position in the chat, from 0 (the system prompt). */
  seq: Scalars['Int']['output'];
  status: MessageStatus;
  /** Chat-format tokens of this message, counted once when it was written. */
  tokenCount: Scalars['Int']['output'];
  /** A reply's usage and cost, from the usage ledger once it ended; null for other messages and running replies. */
  usage: Maybe<TokenUsage>;
};

export type MessageConnection = {
  __typename?: 'MessageConnection';
  edges: Array<MessageEdge>;
  pageInfo: PageInfo;
};

export type MessageEdge = {
  __typename?: 'MessageEdge';
  cursor: Scalars['String']['output'];
  node: Message;
};

export type MessageInput = {
  content: Scalars['String']['input'];
  name?: InputMaybe<Scalars['String']['input']>;
  role: MessageRole;
};

export type MessageRole =
  | 'ASSISTANT'
  | 'SYSTEM'
  | 'USER';

/** STREAMING while the reply is produced; then COMPLETE, INCOMPLETE (stopped, cut short, or the upstream failed mid-reply: exactly the text delivered) or FAILED. */
export type MessageStatus =
  | 'COMPLETE'
  | 'FAILED'
  | 'INCOMPLETE'
  | 'STREAMING';

/** A model a chat can use, with the limits its token budget follows. */
export type Model = {
  __typename?: 'Model';
  /** Prompt plus reply, in tokens. */
  contextWindow: Scalars['Int']['output'];
  encoding: TokenEncoding;
  /** The largest reply budget (config.maxTokens). */
  maxOutputTokens: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** Reasoning models ignore temperature, topP and the penalties. */
  reasoning: Scalars['Boolean']['output'];
};

export type ModelUsage = {
  __typename?: 'ModelUsage';
  model: Scalars['String']['output'];
  usage: UsageTotals;
};

export type Mutation = {
  __typename?: 'Mutation';
  createChat: Chat;
  /** Deletes a chat with all its messages. A reply in progress must be stopped first (CHAT_BUSY). */
  deleteChat: DeleteChatPayload;
  /** Ends a chat: it stays readable and accepts no new message. Ending twice is harmless. */
  endChat: Chat;
  renameChat: Chat;
  /** Sends a message and answers once the whole reply is stored. Refusals (bad input, no such chat, ended, busy, too large) are errors with a code, and store nothing. */
  sendMessage: SendMessagePayload;
  /** Changes a user's limits; they apply from the user's next message, on every replica. Service tokens only (a JWT gets UNAUTHENTICATED). */
  setUserLimits: UserLimits;
  /** Stops a reply in progress: the upstream request is aborted and exactly the text delivered so far is stored as INCOMPLETE. A reply that already ended is returned as it is. */
  stopReply: Message;
  /** Changes a chat's config for every later message (a sendMessage config applies to that message only), e.g. { contextStrategy: SUMMARIZE }. Absent fields keep their value. */
  updateChatConfig: Chat;
};


export type MutationCreateChatArgs = {
  input: CreateChatInput;
};


export type MutationDeleteChatArgs = {
  id: Scalars['ID']['input'];
};


export type MutationEndChatArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRenameChatArgs = {
  id: Scalars['ID']['input'];
  title: Scalars['String']['input'];
};


export type MutationSendMessageArgs = {
  input: SendMessageInput;
};


export type MutationSetUserLimitsArgs = {
  limits: UserLimitsInput;
  userId: Scalars['ID']['input'];
};


export type MutationStopReplyArgs = {
  messageId: Scalars['ID']['input'];
};


export type MutationUpdateChatConfigArgs = {
  config: ChatConfigInput;
  id: Scalars['ID']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  hasPreviousPage: Scalars['Boolean']['output'];
  startCursor: Maybe<Scalars['String']['output']>;
};

/** A ready-made system prompt a chat can start with. */
export type Persona = {
  __typename?: 'Persona';
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  systemPrompt: Scalars['String']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** One of the caller's chats; null when there is none with this id (or it is someone else's). */
  chat: Maybe<Chat>;
  /** The caller's chats, most recent activity first. */
  chats: ChatConnection;
  /** The caller's limits, and what is used and left of them. */
  limits: UserLimits;
  /** The model families a chat can be created with; dated snapshots of them are accepted too. */
  models: Array<Model>;
  /** The personas a chat can be created with (createChat and sendMessage take their id). */
  personas: Array<Persona>;
  /** Full-text search over the caller's messages (their own and the replies, erased ones included; not system prompts or replies still streaming), newest first. A hit contains every word of the query as the start of a word, ignoring case and accents ("stream" finds "Streaming"). Punctuation and operators are separators, not syntax. At most 200 characters and 8 words (INVALID_INPUT otherwise). */
  search: SearchConnection;
  /** The exact prompt token count of these messages for the model's encoding, as the API reports it in usage.prompt_tokens (chat format: 3 tokens per message, 1 per name, 3 to prime the reply). */
  tokenCount: Scalars['Int']['output'];
  /** The caller's usage in [from, to): at most 366 days. */
  usage: UsageSummary;
  /** Any user's limits and what is left of them. Service tokens only (a JWT gets UNAUTHENTICATED). */
  userLimits: UserLimits;
  /** Any user's usage in [from, to). Service tokens only (a JWT gets UNAUTHENTICATED). */
  userUsage: UsageSummary;
};


export type QueryChatArgs = {
  id: Scalars['ID']['input'];
};


export type QueryChatsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QuerySearchArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
};


export type QueryTokenCountArgs = {
  messages: Array<MessageInput>;
  model: Scalars['String']['input'];
};


export type QueryUsageArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryUserLimitsArgs = {
  userId: Scalars['ID']['input'];
};


export type QueryUserUsageArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  userId: Scalars['ID']['input'];
};

/** The reply ended and is stored: COMPLETE, or INCOMPLETE when stopped or cut by the token budget. */
export type ReplyCompleted = {
  __typename?: 'ReplyCompleted';
  chatId: Scalars['ID']['output'];
  /** The stored reply. */
  message: Message;
};

/** The next piece of the reply. */
export type ReplyDelta = {
  __typename?: 'ReplyDelta';
  chatId: Scalars['ID']['output'];
  /** Opaque: where the reply stands after this piece. Pass it to replyEvents(after:) to resume the reply with exactly the text that follows. */
  cursor: Scalars['String']['output'];
  messageId: Scalars['ID']['output'];
  /** The new piece only; the pieces concatenate to the reply. */
  text: Scalars['String']['output'];
};

export type ReplyError = {
  __typename?: 'ReplyError';
  code: ErrorCode;
  message: Scalars['String']['output'];
};

/** What happens to a reply, in order: ReplyStarted, ReplyDelta..., then ReplyCompleted or ReplyFailed. */
export type ReplyEvent = ReplyCompleted | ReplyDelta | ReplyFailed | ReplyStarted;

/** The reply failed upstream. What was delivered before the failure is stored. */
export type ReplyFailed = {
  __typename?: 'ReplyFailed';
  chatId: Scalars['ID']['output'];
  code: ErrorCode;
  /** What went wrong, for people. */
  error: Scalars['String']['output'];
  /** The stored reply: FAILED, or INCOMPLETE with exactly the text delivered. */
  message: Message;
};

/** The user message is stored and the reply has started (stored as STREAMING). */
export type ReplyStarted = {
  __typename?: 'ReplyStarted';
  assistantMessage: Message;
  chat: Chat;
  userMessage: Message;
};

export type SearchConnection = {
  __typename?: 'SearchConnection';
  edges: Array<SearchEdge>;
  pageInfo: PageInfo;
};

export type SearchEdge = {
  __typename?: 'SearchEdge';
  cursor: Scalars['String']['output'];
  node: SearchHit;
};

/** A message that matched a search, with its chat and the part of its text around the match. */
export type SearchHit = {
  __typename?: 'SearchHit';
  chat: Chat;
  /** The words of the snippet that matched. */
  highlights: Array<TextRange>;
  message: Message;
  /** Plain text (never HTML): the message around its first match, whitespace collapsed, "…" where cut. */
  snippet: Scalars['String']['output'];
};

export type SendMessageInput = {
  /** The chat to continue; absent: a new chat is created with the fields below. */
  chatId?: InputMaybe<Scalars['ID']['input']>;
  /** For this chat from now on (new chat) or this turn. */
  config?: InputMaybe<ChatConfigInput>;
  content: Scalars['String']['input'];
  /** Sending again with the same key (and content) does not store the message twice: it answers with the turn the first send started. */
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  /** New chats only: one of `models`; default: the configured model. */
  model?: InputMaybe<Scalars['String']['input']>;
  /** New chats only: one of `personas`. */
  personaId?: InputMaybe<Scalars['ID']['input']>;
  /** New chats only: a system prompt of its own, instead of a persona. */
  systemPrompt?: InputMaybe<Scalars['String']['input']>;
};

export type SendMessagePayload = {
  __typename?: 'SendMessagePayload';
  chat: Chat;
  /** Why the reply failed upstream; null when it did not. */
  error: Maybe<ReplyError>;
  /** The stored reply: COMPLETE, INCOMPLETE or FAILED. */
  reply: Message;
  userMessage: Message;
};

export type Subscription = {
  __typename?: 'Subscription';
  /** Everything that happens in one of your chats from now on, whichever channel caused it (GraphQL, gRPC, HTTP, WhatsApp): messages and their streaming replies, renames, the end, the deletion. */
  chatEvents: ChatEvent;
  /** One of your replies, from a cursor on: ReplyStarted, then ReplyDeltas with exactly the text after `after` (all of it when null), then ReplyCompleted or ReplyFailed. Works while the reply streams and after it ended, on any replica: the way to resume after a lost connection, or to follow a reply from another tab or device (see Chat.activeReply). */
  replyEvents: ReplyEvent;
  /** Sends a message and streams its reply: ReplyStarted, ReplyDelta..., then ReplyCompleted or ReplyFailed. The reply belongs to the server: unsubscribing does not stop it (stopReply does), and replyEvents resumes it from the last cursor received. */
  sendMessage: ReplyEvent;
};


export type SubscriptionChatEventsArgs = {
  chatId: Scalars['ID']['input'];
};


export type SubscriptionReplyEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  messageId: Scalars['ID']['input'];
};


export type SubscriptionSendMessageArgs = {
  input: SendMessageInput;
};

/** A span of a text, in UTF-16 code units (as JavaScript strings count). */
export type TextRange = {
  __typename?: 'TextRange';
  length: Scalars['Int']['output'];
  start: Scalars['Int']['output'];
};

/** The model's tokenizer. */
export type TokenEncoding =
  | 'CL100K_BASE'
  | 'O200K_BASE';

/** What an upstream call used: as the upstream reported it, or, when it reported nothing (an interrupted stream), counted by us with the exact tokenizer (estimated). */
export type TokenUsage = {
  __typename?: 'TokenUsage';
  /** Of promptTokens, those the provider served from its cache; null when not reported. */
  cachedPromptTokens: Maybe<Scalars['Int']['output']>;
  completionTokens: Scalars['Int']['output'];
  /** What the call cost in USD at the prices in force when it was recorded; null when not known (a reply still streaming). */
  costUsd: Maybe<Scalars['Float']['output']>;
  /** True when counted by us; null when not known. */
  estimated: Maybe<Scalars['Boolean']['output']>;
  promptTokens: Scalars['Int']['output'];
  /** Of completionTokens, the model's reasoning; null when not reported. */
  reasoningTokens: Maybe<Scalars['Int']['output']>;
};

/** What a user spent in [from, to), from the usage ledger (one row per upstream call). */
export type UsageSummary = {
  __typename?: 'UsageSummary';
  /** Most expensive first. */
  byChannel: Array<ChannelUsage>;
  /** Most expensive first. */
  byModel: Array<ModelUsage>;
  from: Scalars['DateTime']['output'];
  /** Exclusive. */
  to: Scalars['DateTime']['output'];
  totals: UsageTotals;
};

/** Tokens, cost and upstream calls of a set of ledger rows. */
export type UsageTotals = {
  __typename?: 'UsageTotals';
  /** Of promptTokens, those the provider served from its cache. */
  cachedPromptTokens: Scalars['Float']['output'];
  completionTokens: Scalars['Float']['output'];
  /** At the prices in force when each call was recorded. */
  costUsd: Scalars['Float']['output'];
  /** Calls the upstream reported no usage for (an interrupted stream): counted by us with the exact tokenizer. */
  estimatedCalls: Scalars['Int']['output'];
  promptTokens: Scalars['Float']['output'];
  /** Of completionTokens, the model's reasoning; null when no call reported it. */
  reasoningTokens: Maybe<Scalars['Float']['output']>;
  /** Upstream calls for replies. */
  replies: Scalars['Int']['output'];
  /** Upstream calls that summarised erased history. */
  summaries: Scalars['Int']['output'];
  totalTokens: Scalars['Float']['output'];
};

/** A user's own settings: null follows the default, 0 is unlimited. */
export type UserLimitOverrides = {
  __typename?: 'UserLimitOverrides';
  concurrentReplies: Maybe<Scalars['Int']['output']>;
  dailyTokens: Maybe<Scalars['Int']['output']>;
  monthlyBudgetUsd: Maybe<Scalars['Float']['output']>;
  requestsPerMinute: Maybe<Scalars['Int']['output']>;
};

/** A user's limits as they apply now (null: unlimited), and what is used and left. Days and months are UTC: the daily tokens renew at 00:00 UTC, the monthly budget on the 1st at 00:00 UTC. "Held" is the worst case of replies in progress, given back when they end. */
export type UserLimits = {
  __typename?: 'UserLimits';
  concurrentReplies: Maybe<Scalars['Int']['output']>;
  dailyTokens: Maybe<Scalars['Int']['output']>;
  dayRenewsAt: Scalars['DateTime']['output'];
  heldThisMonthUsd: Scalars['Float']['output'];
  leftThisMonthUsd: Maybe<Scalars['Float']['output']>;
  monthRenewsAt: Scalars['DateTime']['output'];
  monthlyBudgetUsd: Maybe<Scalars['Float']['output']>;
  overrides: UserLimitOverrides;
  repliesRunning: Scalars['Int']['output'];
  /** Messages per minute, across every channel. */
  requestsPerMinute: Maybe<Scalars['Int']['output']>;
  spentThisMonthUsd: Scalars['Float']['output'];
  tokensHeldToday: Scalars['Float']['output'];
  tokensLeftToday: Maybe<Scalars['Float']['output']>;
  /** Prompt and completion tokens spent today (UTC). */
  tokensToday: Scalars['Float']['output'];
};

/** A change to a user's limits: a field left out stays as it is, null goes back to the default, 0 is unlimited. */
export type UserLimitsInput = {
  concurrentReplies?: InputMaybe<Scalars['Int']['input']>;
  dailyTokens?: InputMaybe<Scalars['Int']['input']>;
  /** USD, at most 6 decimals. */
  monthlyBudgetUsd?: InputMaybe<Scalars['Float']['input']>;
  requestsPerMinute?: InputMaybe<Scalars['Int']['input']>;
};

export type MessageFieldsFragment = { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null };

export type ChatFieldsFragment = { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } };

type ReplyEventFields_ReplyCompleted_Fragment = { __typename: 'ReplyCompleted', chatId: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } };

type ReplyEventFields_ReplyDelta_Fragment = { __typename: 'ReplyDelta', chatId: string, messageId: string, text: string, cursor: string };

type ReplyEventFields_ReplyFailed_Fragment = { __typename: 'ReplyFailed', chatId: string, code: ErrorCode, error: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } };

type ReplyEventFields_ReplyStarted_Fragment = { __typename: 'ReplyStarted', chat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } }, userMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null }, assistantMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } };

export type ReplyEventFieldsFragment = ReplyEventFields_ReplyCompleted_Fragment | ReplyEventFields_ReplyDelta_Fragment | ReplyEventFields_ReplyFailed_Fragment | ReplyEventFields_ReplyStarted_Fragment;

export type CreateChatMutationVariables = Exact<{
  input: CreateChatInput;
}>;


export type CreateChatMutation = { __typename?: 'Mutation', createChat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } } };

export type SendMessageMutationVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageMutation = { __typename?: 'Mutation', sendMessage: { __typename?: 'SendMessagePayload', chat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } }, userMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null }, reply: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null }, error: { __typename?: 'ReplyError', code: ErrorCode, message: string } | null } };

export type StopReplyMutationVariables = Exact<{
  messageId: Scalars['ID']['input'];
}>;


export type StopReplyMutation = { __typename?: 'Mutation', stopReply: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } };

export type RenameChatMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  title: Scalars['String']['input'];
}>;


export type RenameChatMutation = { __typename?: 'Mutation', renameChat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } } };

export type EndChatMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type EndChatMutation = { __typename?: 'Mutation', endChat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } } };

export type DeleteChatMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type DeleteChatMutation = { __typename?: 'Mutation', deleteChat: { __typename?: 'DeleteChatPayload', deletedChatId: string } };

export type UpdateChatConfigMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  config: ChatConfigInput;
}>;


export type UpdateChatConfigMutation = { __typename?: 'Mutation', updateChatConfig: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } } };

export type ChatsQueryVariables = Exact<{
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ChatsQuery = { __typename?: 'Query', chats: { __typename?: 'ChatConnection', edges: Array<{ __typename?: 'ChatEdge', cursor: string, node: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, latestMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } | null, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, hasPreviousPage: boolean, startCursor: string | null, endCursor: string | null } } };

export type ChatQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  includeErased?: InputMaybe<Scalars['Boolean']['input']>;
}>;


export type ChatQuery = { __typename?: 'Query', chat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, messages: { __typename?: 'MessageConnection', edges: Array<{ __typename?: 'MessageEdge', cursor: string, node: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null } }, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } } | null };

export type ModelsQueryVariables = Exact<{ [key: string]: never; }>;


export type ModelsQuery = { __typename?: 'Query', models: Array<{ __typename?: 'Model', name: string, contextWindow: number, maxOutputTokens: number, encoding: TokenEncoding, reasoning: boolean }> };

export type PersonasQueryVariables = Exact<{ [key: string]: never; }>;


export type PersonasQuery = { __typename?: 'Query', personas: Array<{ __typename?: 'Persona', id: string, name: string, description: string, systemPrompt: string }> };

export type TokenCountQueryVariables = Exact<{
  model: Scalars['String']['input'];
  messages: Array<MessageInput> | MessageInput;
}>;


export type TokenCountQuery = { __typename?: 'Query', tokenCount: number };

export type ContextSummaryQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ContextSummaryQuery = { __typename?: 'Query', chat: { __typename?: 'Chat', id: string, config: { __typename?: 'ChatConfig', contextStrategy: ContextStrategy }, contextSummary: { __typename?: 'ContextSummary', content: string, coversThroughSeq: number, tokenCount: number, model: string, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } } | null } | null };

export type SearchQueryVariables = Exact<{
  query: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type SearchQuery = { __typename?: 'Query', search: { __typename?: 'SearchConnection', edges: Array<{ __typename?: 'SearchEdge', cursor: string, node: { __typename?: 'SearchHit', snippet: string, chat: { __typename?: 'Chat', id: string, title: string }, message: { __typename?: 'Message', id: string, chatId: string, role: MessageRole, content: string, status: MessageStatus, erased: boolean }, highlights: Array<{ __typename?: 'TextRange', start: number, length: number }> } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor: string | null } } };

export type SendMessageStreamSubscriptionVariables = Exact<{
  input: SendMessageInput;
}>;


export type SendMessageStreamSubscription = { __typename?: 'Subscription', sendMessage: { __typename: 'ReplyCompleted', chatId: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } | { __typename: 'ReplyDelta', chatId: string, messageId: string, text: string, cursor: string } | { __typename: 'ReplyFailed', chatId: string, code: ErrorCode, error: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } | { __typename: 'ReplyStarted', chat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } }, userMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null }, assistantMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } };

export type ChatEventsSubscriptionVariables = Exact<{
  chatId: Scalars['ID']['input'];
}>;


export type ChatEventsSubscription = { __typename?: 'Subscription', chatEvents: { __typename: 'ChatDeleted', chatId: string } | { __typename: 'ChatUpdated', chat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } } } | { __typename: 'ReplyCompleted', chatId: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } | { __typename: 'ReplyDelta', chatId: string, messageId: string, text: string, cursor: string } | { __typename: 'ReplyFailed', chatId: string, code: ErrorCode, error: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } | { __typename: 'ReplyStarted', chat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } }, userMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null }, assistantMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } };

export type ReplyEventsSubscriptionVariables = Exact<{
  messageId: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ReplyEventsSubscription = { __typename?: 'Subscription', replyEvents: { __typename: 'ReplyCompleted', chatId: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } | { __typename: 'ReplyDelta', chatId: string, messageId: string, text: string, cursor: string } | { __typename: 'ReplyFailed', chatId: string, code: ErrorCode, error: string, message: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } | { __typename: 'ReplyStarted', chat: { __typename?: 'Chat', id: string, title: string, status: ChatStatus, model: string, systemPrompt: string, createdAt: string, updatedAt: string, persona: { __typename?: 'Persona', id: string, name: string } | null, config: { __typename?: 'ChatConfig', temperature: number, topP: number, maxTokens: number, stop: Array<string>, presencePenalty: number, frequencyPenalty: number, contextStrategy: ContextStrategy } }, userMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null }, assistantMessage: { __typename?: 'Message', id: string, chatId: string, seq: number, role: MessageRole, content: string, tokenCount: number, status: MessageStatus, erased: boolean, model: string, finishReason: string | null, createdAt: string, usage: { __typename?: 'TokenUsage', promptTokens: number, completionTokens: number } | null } } };

export const ChatFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<ChatFieldsFragment, unknown>;
export const MessageFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<MessageFieldsFragment, unknown>;
export const ReplyEventFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReplyEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"assistantMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ReplyEventFieldsFragment, unknown>;
export const CreateChatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateChat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateChatInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createChat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<CreateChatMutation, CreateChatMutationVariables>;
export const SendMessageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SendMessage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"reply"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"error"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"message"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<SendMessageMutation, SendMessageMutationVariables>;
export const StopReplyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"StopReply"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stopReply"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"messageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<StopReplyMutation, StopReplyMutationVariables>;
export const RenameChatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RenameChat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"title"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"renameChat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"title"},"value":{"kind":"Variable","name":{"kind":"Name","value":"title"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<RenameChatMutation, RenameChatMutationVariables>;
export const EndChatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"EndChat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endChat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<EndChatMutation, EndChatMutationVariables>;
export const DeleteChatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteChat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteChat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedChatId"}}]}}]}}]} as unknown as DocumentNode<DeleteChatMutation, DeleteChatMutationVariables>;
export const UpdateChatConfigDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateChatConfig"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"config"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ChatConfigInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateChatConfig"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}},{"kind":"Argument","name":{"kind":"Name","value":"config"},"value":{"kind":"Variable","name":{"kind":"Name","value":"config"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}}]} as unknown as DocumentNode<UpdateChatConfigMutation, UpdateChatConfigMutationVariables>;
export const ChatsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Chats"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chats"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}},{"kind":"Field","name":{"kind":"Name","value":"latestMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ChatsQuery, ChatsQueryVariables>;
export const ChatDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Chat"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"includeErased"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Boolean"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}},{"kind":"Field","name":{"kind":"Name","value":"messages"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"includeErased"},"value":{"kind":"Variable","name":{"kind":"Name","value":"includeErased"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]} as unknown as DocumentNode<ChatQuery, ChatQueryVariables>;
export const ModelsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"models"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"contextWindow"}},{"kind":"Field","name":{"kind":"Name","value":"maxOutputTokens"}},{"kind":"Field","name":{"kind":"Name","value":"encoding"}},{"kind":"Field","name":{"kind":"Name","value":"reasoning"}}]}}]}}]} as unknown as DocumentNode<ModelsQuery, ModelsQueryVariables>;
export const PersonasDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Personas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"personas"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}}]}}]}}]} as unknown as DocumentNode<PersonasQuery, PersonasQueryVariables>;
export const TokenCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"TokenCount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"model"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messages"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"MessageInput"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"tokenCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"model"},"value":{"kind":"Variable","name":{"kind":"Name","value":"model"}}},{"kind":"Argument","name":{"kind":"Name","value":"messages"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messages"}}}]}]}}]} as unknown as DocumentNode<TokenCountQuery, TokenCountQueryVariables>;
export const ContextSummaryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ContextSummary"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"contextSummary"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"coversThroughSeq"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}}]}}]}}]} as unknown as DocumentNode<ContextSummaryQuery, ContextSummaryQueryVariables>;
export const SearchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Search"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"query"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"search"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"query"},"value":{"kind":"Variable","name":{"kind":"Name","value":"query"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}}]}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}}]}},{"kind":"Field","name":{"kind":"Name","value":"snippet"}},{"kind":"Field","name":{"kind":"Name","value":"highlights"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"start"}},{"kind":"Field","name":{"kind":"Name","value":"length"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<SearchQuery, SearchQueryVariables>;
export const SendMessageStreamDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"SendMessageStream"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SendMessageInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sendMessage"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReplyEventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReplyEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"assistantMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}}]}}]} as unknown as DocumentNode<SendMessageStreamSubscription, SendMessageStreamSubscriptionVariables>;
export const ChatEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ChatEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"chatId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"chatId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"chatId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReplyEventFields"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChatUpdated"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ChatDeleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReplyEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"assistantMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}}]}}]} as unknown as DocumentNode<ChatEventsSubscription, ChatEventsSubscriptionVariables>;
export const ReplyEventsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"ReplyEvents"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"replyEvents"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"messageId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"messageId"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ReplyEventFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ChatFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Chat"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"systemPrompt"}},{"kind":"Field","name":{"kind":"Name","value":"persona"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"config"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"temperature"}},{"kind":"Field","name":{"kind":"Name","value":"topP"}},{"kind":"Field","name":{"kind":"Name","value":"maxTokens"}},{"kind":"Field","name":{"kind":"Name","value":"stop"}},{"kind":"Field","name":{"kind":"Name","value":"presencePenalty"}},{"kind":"Field","name":{"kind":"Name","value":"frequencyPenalty"}},{"kind":"Field","name":{"kind":"Name","value":"contextStrategy"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"MessageFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Message"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"seq"}},{"kind":"Field","name":{"kind":"Name","value":"role"}},{"kind":"Field","name":{"kind":"Name","value":"content"}},{"kind":"Field","name":{"kind":"Name","value":"tokenCount"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"erased"}},{"kind":"Field","name":{"kind":"Name","value":"model"}},{"kind":"Field","name":{"kind":"Name","value":"finishReason"}},{"kind":"Field","name":{"kind":"Name","value":"usage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"promptTokens"}},{"kind":"Field","name":{"kind":"Name","value":"completionTokens"}}]}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"ReplyEventFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyEvent"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyStarted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chat"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"ChatFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"userMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}},{"kind":"Field","name":{"kind":"Name","value":"assistantMessage"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyDelta"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"messageId"}},{"kind":"Field","name":{"kind":"Name","value":"text"}},{"kind":"Field","name":{"kind":"Name","value":"cursor"}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyCompleted"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}},{"kind":"InlineFragment","typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"ReplyFailed"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"chatId"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"error"}},{"kind":"Field","name":{"kind":"Name","value":"message"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"MessageFields"}}]}}]}}]}}]} as unknown as DocumentNode<ReplyEventsSubscription, ReplyEventsSubscriptionVariables>;