/**
 * chatservice's built-in chat page: one ES module, a client of the public
 * GraphQL API and nothing else (fetch for queries and mutations, graphql-ws
 * for subscriptions), so it doubles as a working reference of that API.
 * No framework and no build step: the server rewrites the three bare imports
 * below to its own copies of these packages (see src/channels/web/).
 *
 * Safety: text from people and models reaches the page as text
 * (textContent); replies are Markdown, rendered by marked with raw HTML
 * escaped and then sanitised by DOMPurify, the only code the page's Trusted
 * Types policy lets write HTML.
 */
import { createClient } from 'graphql-ws';
import { marked } from 'marked';
import DOMPurify from 'dompurify';

// ---------------------------------------------------------------- GraphQL documents

const MESSAGE = 'id chatId seq role content tokenCount status erased model finishReason createdAt';
const CHAT = 'id title status model updatedAt config { maxTokens } persona { name } contextSummary { tokenCount }';
const REPLY_EVENT = `__typename
  ... on ReplyStarted { chat { id } userMessage { ${MESSAGE} } assistantMessage { ${MESSAGE} } }
  ... on ReplyDelta { messageId cursor text }
  ... on ReplyCompleted { message { ${MESSAGE} } }
  ... on ReplyFailed { code error message { ${MESSAGE} } }`;

const Q = {
  start: 'query Start { models { name contextWindow } personas { id name description } }',
  chats: `query Chats($after: String) {
    chats(first: 20, after: $after) { edges { node { id title status } } pageInfo { hasNextPage endCursor } } }`,
  chat: `query Chat($id: ID!, $after: String, $includeErased: Boolean) {
    chat(id: $id) { ${CHAT} activeReply { id }
      messages(first: 100, after: $after, includeErased: $includeErased) {
        edges { node { ${MESSAGE} } } pageInfo { hasNextPage endCursor } } } }`,
  tokenCount: 'query TokenCount($model: String!, $messages: [MessageInput!]!) { tokenCount(model: $model, messages: $messages) }',
  search: `query Search($query: String!, $after: String) {
    search(query: $query, first: 20, after: $after) {
      edges { node { chat { id title } message { id } snippet highlights { start length } } }
      pageInfo { hasNextPage endCursor } } }`,
  // Usage and limits: shown when this server's API has them, left out silently when it has not.
  usage: `query Usage {
    usage { totals { replies totalTokens costUsd } }
    limits { tokensToday dailyTokens spentThisMonthUsd monthlyBudgetUsd } }`,
  createChat: `mutation CreateChat($input: CreateChatInput!) { createChat(input: $input) { ${CHAT} } }`,
  renameChat: `mutation RenameChat($id: ID!, $title: String!) { renameChat(id: $id, title: $title) { ${CHAT} } }`,
  endChat: `mutation EndChat($id: ID!) { endChat(id: $id) { ${CHAT} } }`,
  deleteChat: 'mutation DeleteChat($id: ID!) { deleteChat(id: $id) { deletedChatId } }',
  stopReply: 'mutation StopReply($id: ID!) { stopReply(messageId: $id) { id status } }',
  send: `subscription Send($input: SendMessageInput!) { sendMessage(input: $input) { ${REPLY_EVENT} } }`,
  replyEvents: `subscription Reply($id: ID!, $after: String) { replyEvents(messageId: $id, after: $after) { ${REPLY_EVENT} } }`,
  // Deltas without their text: this feed only says that something happens; replyEvents carries the text.
  chatEvents: `subscription ChatEvents($id: ID!) { chatEvents(chatId: $id) { __typename
    ... on ReplyStarted { assistantMessage { id } }
    ... on ReplyDelta { messageId }
    ... on ReplyCompleted { message { id } }
    ... on ReplyFailed { message { id } }
    ... on ChatUpdated { chat { ${CHAT} } }
    ... on ChatDeleted { chatId } } }`,
};

// ---------------------------------------------------------------- elements and small helpers

const $ = (id) => document.getElementById(id);
const ui = {
  signIn: $('sign-in'),
  signInForm: $('sign-in-form'),
  signInButton: $('sign-in-button'),
  signInError: $('sign-in-error'),
  token: $('token'),
  userId: $('user-id'),
  app: $('app'),
  whoAmI: $('who-am-i'),
  signOut: $('sign-out'),
  newChat: $('new-chat'),
  searchForm: $('search-form'),
  search: $('search'),
  searchResults: $('search-results'),
  searchSummary: $('search-summary'),
  searchHits: $('search-hits'),
  moreHits: $('more-hits'),
  chatList: $('chat-list'),
  moreChats: $('more-chats'),
  usage: $('usage'),
  exportAll: $('export-all'),
  chatHeader: $('chat-header'),
  renameForm: $('rename-form'),
  chatTitle: $('chat-title'),
  chatMeta: $('chat-meta'),
  showErased: $('show-erased'),
  exportMd: $('export-md'),
  exportJson: $('export-json'),
  endChat: $('end-chat'),
  deleteChat: $('delete-chat'),
  messages: $('messages'),
  composer: $('composer'),
  message: $('message'),
  tokenMeter: $('token-meter'),
  stop: $('stop'),
  send: $('send'),
  status: $('status'),
  newChatDialog: $('new-chat-dialog'),
  newChatForm: $('new-chat-form'),
  newTitle: $('new-title'),
  newPersona: $('new-persona'),
  newModel: $('new-model'),
};

/** An element with text children only: nothing here ever parses a string as HTML. */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'className') element.className = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children.filter((child) => child !== undefined && child !== null));
  return element;
}

const number = (value) => value.toLocaleString('en');

function setStatus(text, isError = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle('error', isError);
}

/** Runs an event handler; a failure becomes a message on the page, never an uncaught error. */
function guarded(handler) {
  return (...args) => {
    Promise.resolve()
      .then(() => handler(...args))
      .catch((error) => setStatus(describe(error), true));
  };
}

// ---------------------------------------------------------------- talking to the API

class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const FRIENDLY = {
  UNAUTHENTICATED: 'The token was not accepted. Check it (and that it has not expired) and sign in again.',
  UNAVAILABLE: 'The service is unavailable right now; try again shortly.',
  INTERNAL: 'Something went wrong on the server.',
};

function describe(error) {
  if (error instanceof ApiError) return FRIENDLY[error.code] ?? error.message;
  return 'Something went wrong: ' + (error instanceof Error ? error.message : String(error));
}

/** The error of a GraphQL result or of a failed subscription (GraphQL errors, a CloseEvent, an Error). */
function toApiError(error) {
  const first = Array.isArray(error) ? error[0] : error;
  if (first && typeof first === 'object' && 'code' in first && typeof first.code === 'number') {
    return first.code === AUTH_REFUSED ? new ApiError('UNAUTHENTICATED', FRIENDLY.UNAUTHENTICATED) : new ApiError('UNAVAILABLE', FRIENDLY.UNAVAILABLE);
  }
  return new ApiError(first?.extensions?.code ?? 'INTERNAL', first?.message ?? FRIENDLY.INTERNAL);
}

function authHeaders(credentials) {
  return {
    authorization: `Bearer ${credentials.token}`,
    ...(credentials.userId ? { 'x-user-id': credentials.userId } : {}),
  };
}

/** One query or mutation over HTTP. Throws ApiError with the stable code of the first error. */
async function graphql(query, variables = {}, credentials = state.credentials) {
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      // application/json: a refused document is a 200 with errors, which the page reports itself,
      // instead of an HTTP error that browsers also log to the console.
      headers: { 'content-type': 'application/json', accept: 'application/json', ...authHeaders(credentials) },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError('UNAVAILABLE', FRIENDLY.UNAVAILABLE);
  }
  const body = await response.json().catch(() => ({ errors: [{ message: `Unexpected answer (HTTP ${response.status})` }] }));
  if (body.errors?.length) throw toApiError(body.errors);
  return body.data;
}

/** graphql() for a signed-in session: a credential that stops working ends it. */
async function api(query, variables) {
  try {
    return await graphql(query, variables);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') signOut(FRIENDLY.UNAUTHENTICATED);
    throw error;
  }
}

/** graphql-ws closes the socket with this code on a bad credential. */
const AUTH_REFUSED = 4403;
const isCloseEvent = (value) => value && typeof value === 'object' && 'code' in value && 'reason' in value;

/**
 * The one WebSocket of a session. graphql-ws retries 4403 by default (about
 * 40 s of silence for a wrong token); here a refused credential ends the
 * session at once, and only lost connections are retried.
 */
function openSocket(credentials) {
  let connections = 0;
  return createClient({
    url: `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`,
    connectionParams: { authorization: `Bearer ${credentials.token}`, ...(credentials.userId ? { userId: credentials.userId } : {}) },
    lazy: false,
    keepAlive: 20_000,
    retryAttempts: 8,
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === AUTH_REFUSED),
    onNonLazyError: (error) => {
      if (isCloseEvent(error) && error.code === AUTH_REFUSED) signOut(FRIENDLY.UNAUTHENTICATED);
      else setStatus('Live updates stopped: the connection to the service was lost. Reload to retry.', true);
    },
    on: {
      connected: () => {
        connections += 1;
        // Events sent while the socket was down are gone: read the open chat again.
        if (connections > 1) scheduleReload();
      },
    },
  });
}

/** A subscription over the session's socket; returns its dispose function. */
function subscribe(query, variables, onData, onError) {
  return state.socket.subscribe(
    { query, variables },
    {
      next: (result) => (result.errors?.length ? onError(toApiError(result.errors)) : onData(result.data)),
      error: (error) => onError(toApiError(error)),
      complete: () => {},
    },
  );
}

// ---------------------------------------------------------------- state

const SESSION_KEY = 'chatservice.session';

const state = {
  credentials: null,
  socket: null,
  models: [],
  personas: [],
  chatsCursor: null,
  /** The open chat: { id, chat, messages, events (dispose), showErased }. */
  current: null,
  /** Replies on screen by message id (see ReplyStream). */
  replies: new Map(),
  /** A send of this tab waiting for its ReplyStarted: the chat feed's copy of it is not followed. */
  pendingSend: false,
  /** A new chat's persona and model, until its first message creates it (and names it after that message). */
  draft: null,
  search: { query: '', cursor: null },
  meterSequence: 0,
};

// ---------------------------------------------------------------- Markdown, safely

marked.use({
  gfm: true,
  renderer: {
    // Raw HTML in a reply is shown as text, never interpreted.
    html: ({ text }) => escapeHtml(text),
    // Images would load from anywhere (and the policy refuses them): a link instead.
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A') {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const SANITIZE = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'img', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'video', 'audio'],
  FORBID_ATTR: ['style', 'class', 'id'],
  RETURN_TRUSTED_TYPE: true,
};

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function renderMarkdown(target, text) {
  target.innerHTML = DOMPurify.sanitize(marked.parse(text, { async: false }), SANITIZE);
}

// ---------------------------------------------------------------- messages on screen

const ROLE_LABELS = { USER: 'You', ASSISTANT: 'Assistant', SYSTEM: 'System prompt' };
const STATUS_NOTES = { INCOMPLETE: 'Incomplete: stopped or cut short.', FAILED: 'Failed.' };

/** One message as an article of the conversation log. */
class MessageView {
  constructor(message) {
    this.body = el('div', { className: 'body' });
    this.footer = el('footer');
    this.element = el(
      'article',
      { className: `message ${message.role.toLowerCase()}`, 'data-message-id': message.id, 'data-role': message.role },
      el('header', {}, message.role === 'ASSISTANT' ? `${ROLE_LABELS.ASSISTANT} · ${message.model}` : ROLE_LABELS[message.role]),
      this.body,
      this.footer,
    );
    this.show(message);
  }

  show(message, note) {
    this.setText(message.role, message.content);
    this.element.dataset.status = message.status;
    this.element.classList.toggle('erased', message.erased);
    this.element.title = message.erased ? 'Erased: out of the context window, no longer sent to the model' : '';
    this.footer.textContent = note ?? STATUS_NOTES[message.status] ?? '';
  }

  setText(role, text) {
    if (role === 'ASSISTANT') renderMarkdown(this.body, text);
    else this.body.textContent = text;
  }
}

/**
 * A reply on screen, fed by one subscription at a time (sendMessage,
 * replyEvents). Each subscription says how much of the text it does not
 * repeat (0 from the start, or the length at the cursor it resumed from), so
 * when graphql-ws re-subscribes after a lost connection, the ReplyStarted it
 * sends again rewinds the text to that point: no gap, no repeat.
 */
class ReplyStream {
  constructor(message) {
    this.id = message.id;
    this.chatId = message.chatId;
    this.view = new MessageView({ ...message, content: '' });
    this.text = '';
    this.cursor = null;
    this.ended = message.status !== 'STREAMING';
    this.dispose = null;
    this.source = null;
    this.frame = 0;
  }

  /** A subscription starts feeding this reply; returns the handler of its events. */
  feed(base, dispose) {
    this.unsubscribe();
    const source = {};
    this.source = source;
    this.dispose = dispose;
    return (event) => {
      if (this.source === source) this.apply(event, base);
    };
  }

  /** Follows the reply with replyEvents from where the text on screen ends. */
  follow() {
    let handle = () => {};
    const dispose = subscribe(
      Q.replyEvents,
      { id: this.id, after: this.cursor },
      (data) => handle(data.replyEvents),
      (error) => setStatus(describe(error), true),
    );
    handle = this.feed(this.text.length, dispose);
  }

  apply(event, base) {
    switch (event.__typename) {
      case 'ReplyStarted':
        this.text = this.text.slice(0, base);
        this.render();
        break;
      case 'ReplyDelta':
        this.text += event.text;
        this.cursor = event.cursor;
        this.render();
        break;
      case 'ReplyCompleted':
      case 'ReplyFailed':
        this.finish(event.message, event.__typename === 'ReplyFailed' ? `Failed (${event.code}): ${event.error}` : undefined);
        break;
    }
  }

  /** One Markdown render per frame, however many deltas arrive. */
  render() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (!this.ended) this.view.setText('ASSISTANT', this.text);
    });
  }

  /** The stored reply replaces the streamed text: what the page shows is what the store holds. */
  finish(message, note) {
    this.ended = true;
    // The server ends the operation after its last event; completing it from here as well can make
    // graphql-ws count it off twice and drop the shared socket (see README, "Reliability").
    this.dispose = null;
    this.source = null;
    this.text = message.content;
    this.view.show(message, note);
    updateStopButton();
    if (state.current?.id === this.chatId) guarded(afterReply)();
  }

  unsubscribe() {
    const dispose = this.dispose;
    this.dispose = null;
    this.source = null;
    dispose?.();
  }
}

function streamingReply() {
  for (const stream of state.replies.values()) {
    if (!stream.ended && stream.chatId === state.current?.id) return stream;
  }
  return undefined;
}

function updateStopButton() {
  const running = streamingReply();
  ui.stop.hidden = running === undefined;
  ui.send.disabled = running !== undefined || state.pendingSend || state.current?.chat?.status === 'ENDED';
}

function nearBottom() {
  const { scrollTop, scrollHeight, clientHeight } = ui.messages;
  return scrollHeight - scrollTop - clientHeight < 80;
}

function scrollToEnd() {
  ui.messages.scrollTop = ui.messages.scrollHeight;
}

/** The chat's messages, with the live view of any reply that is streaming. */
function renderMessages(messages) {
  const stick = nearBottom();
  const elements = messages.map((message) => {
    const stream = state.replies.get(message.id);
    if (stream && !stream.ended) return stream.view.element;
    return new MessageView(message).element;
  });
  ui.messages.replaceChildren(...(elements.length ? elements : [el('p', { className: 'empty hint' }, 'No messages yet: write the first one.')]));
  if (stick) scrollToEnd();
}

function appendMessageElement(element) {
  const stick = nearBottom();
  ui.messages.querySelector('.empty')?.remove();
  ui.messages.append(element);
  if (stick) scrollToEnd();
}

// ---------------------------------------------------------------- sign in and out

async function signIn(credentials) {
  // One query checks the credential and loads what the page needs, in well under a second.
  const start = await graphql(Q.start, {}, credentials);
  state.credentials = credentials;
  state.models = start.models;
  state.personas = start.personas;
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(credentials));
  state.socket = openSocket(credentials);
  ui.whoAmI.textContent = credentials.userId || subjectOf(credentials.token) || 'signed in';
  ui.signIn.hidden = true;
  ui.app.hidden = false;
  ui.signInError.textContent = '';
  fillNewChatForm();
  await Promise.all([loadChats(), loadUsage()]);
  await openChatFromHash();
  ui.message.focus();
}

/** The subject of a JWT, for display only (the server verifies it). */
function subjectOf(token) {
  try {
    const payload = token.split('.')[1];
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))).sub;
  } catch {
    return undefined;
  }
}

function signOut(message = '') {
  closeChat();
  void state.socket?.dispose();
  state.socket = null;
  state.credentials = null;
  sessionStorage.removeItem(SESSION_KEY);
  ui.app.hidden = true;
  ui.signIn.hidden = false;
  ui.signInError.textContent = message;
  ui.chatList.replaceChildren();
  ui.searchResults.hidden = true;
  ui.token.focus();
}

ui.signInForm.addEventListener('submit', (event) => {
  event.preventDefault();
  // A pasted token often brings a newline; user ids never start or end with spaces (the server refuses them).
  const credentials = { token: ui.token.value.trim(), userId: ui.userId.value.trim() };
  if (!credentials.token) {
    ui.signInError.textContent = 'Enter a token.';
    return;
  }
  ui.signInButton.disabled = true;
  ui.signInError.textContent = '';
  signIn(credentials)
    .catch((error) => {
      void state.socket?.dispose();
      state.socket = null;
      ui.signInError.textContent =
        error instanceof ApiError && error.code === 'INVALID_INPUT' && !credentials.userId
          ? 'This is a service token: enter the user id to act for (or sign in with a JWT).'
          : describe(error);
    })
    .finally(() => (ui.signInButton.disabled = false));
});

ui.signOut.addEventListener('click', () => signOut());

// ---------------------------------------------------------------- the chat list

async function loadChats(after = null) {
  const { chats } = await api(Q.chats, { after });
  const items = chats.edges.map(({ node }) => chatListItem(node));
  if (after === null) ui.chatList.replaceChildren(...items);
  else ui.chatList.append(...items);
  state.chatsCursor = chats.pageInfo.endCursor;
  ui.moreChats.hidden = !chats.pageInfo.hasNextPage;
}

function chatListItem(chat) {
  const link = el(
    'a',
    { href: `#chat=${encodeURIComponent(chat.id)}`, className: chat.status === 'ENDED' ? 'ended' : undefined, 'data-chat-id': chat.id },
    chat.title,
  );
  if (chat.id === state.current?.id) link.setAttribute('aria-current', 'page');
  return el('li', {}, link);
}

function markCurrentInList() {
  for (const link of ui.chatList.querySelectorAll('a')) {
    if (link.dataset.chatId === state.current?.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

ui.moreChats.addEventListener('click', guarded(() => loadChats(state.chatsCursor)));

// ---------------------------------------------------------------- opening a chat

function hashTarget() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { chatId: params.get('chat'), messageId: params.get('message') };
}

async function openChatFromHash() {
  const { chatId, messageId } = hashTarget();
  if (chatId === null) {
    closeChat();
    return;
  }
  if (state.current?.id !== chatId) await openChat(chatId);
  if (messageId !== null) await reveal(messageId);
}

window.addEventListener('hashchange', guarded(() => (state.credentials ? openChatFromHash() : undefined)));

function closeChat() {
  state.current?.events?.();
  for (const stream of state.replies.values()) stream.unsubscribe();
  state.replies.clear();
  state.current = null;
  state.pendingSend = false;
  state.draft = null;
  ui.chatHeader.hidden = true;
  ui.message.disabled = false;
  ui.message.placeholder = COMPOSE_HINT;
  ui.messages.replaceChildren(el('p', { className: 'empty hint' }, 'Pick a chat, or write a message to start one.'));
  markCurrentInList();
  updateStopButton();
  refreshMeter();
}

async function openChat(chatId) {
  closeChat();
  const current = { id: chatId, chat: null, messages: [], events: null, showErased: false };
  state.current = current;
  ui.showErased.checked = false;
  markCurrentInList();
  // The feed first, then the read: whatever happens in between shows up in the feed.
  current.events = subscribe(Q.chatEvents, { id: chatId }, (data) => onChatEvent(data.chatEvents), (error) => setStatus(describe(error), true));
  await reloadChat();
}

/** One reload at a time, and at most one more after it, however many events ask for one meanwhile. */
let reloading = null;
let reloadAgain = false;

function scheduleReload() {
  if (reloading) {
    reloadAgain = true;
    return;
  }
  reloading = reloadChat()
    .catch((error) => setStatus(describe(error), true))
    .finally(() => {
      reloading = null;
      if (reloadAgain) {
        reloadAgain = false;
        scheduleReload();
      }
    });
}

/** Reads the open chat again (every page of it) and follows a reply that is streaming. */
async function reloadChat() {
  const current = state.current;
  if (!current) return;
  let after = null;
  const messages = [];
  let chat;
  let active;
  do {
    const data = await api(Q.chat, { id: current.id, after, includeErased: current.showErased });
    if (state.current !== current) return;
    if (!data.chat) {
      setStatus('No such chat (it may have been deleted).', true);
      history.replaceState(null, '', location.pathname);
      closeChat();
      return;
    }
    chat = data.chat;
    active = data.chat.activeReply;
    messages.push(...data.chat.messages.edges.map((edge) => edge.node));
    after = data.chat.messages.pageInfo.hasNextPage ? data.chat.messages.pageInfo.endCursor : null;
  } while (after !== null);
  current.chat = chat;
  current.messages = messages;
  showChatHeader(chat);
  renderMessages(messages);
  if (active && !state.replies.has(active.id) && !state.pendingSend) {
    const message = messages.find((candidate) => candidate.id === active.id);
    if (message) followReply(message);
  }
  updateStopButton();
  refreshMeter();
}

const COMPOSE_HINT = 'Write a message (Enter sends, Shift+Enter for a new line)';

function showChatHeader(chat) {
  ui.chatHeader.hidden = false;
  ui.chatTitle.value = chat.title;
  const persona = chat.persona ? ` · ${chat.persona.name}` : '';
  const ended = chat.status === 'ENDED' ? ' · ended: read only' : '';
  ui.chatMeta.textContent = `${chat.model}${persona}${ended}`;
  ui.endChat.disabled = chat.status === 'ENDED';
  ui.message.disabled = chat.status === 'ENDED';
  ui.message.placeholder = chat.status === 'ENDED' ? 'This chat has ended.' : COMPOSE_HINT;
}

/** A reply found streaming (reload, second tab, another channel): from its start, live. */
function followReply(message) {
  const stream = new ReplyStream(message);
  state.replies.set(message.id, stream);
  const existing = ui.messages.querySelector(`[data-message-id="${CSS.escape(message.id)}"]`);
  if (existing) existing.replaceWith(stream.view.element);
  else appendMessageElement(stream.view.element);
  stream.follow();
  updateStopButton();
}

function onChatEvent(event) {
  const current = state.current;
  if (!current) return;
  switch (event.__typename) {
    case 'ReplyStarted':
    case 'ReplyDelta': {
      const id = event.__typename === 'ReplyStarted' ? event.assistantMessage.id : event.messageId;
      // A reply this page does not show yet (another tab, gRPC, WhatsApp): read the chat, which follows it.
      if (!state.replies.has(id) && !state.pendingSend) scheduleReload();
      break;
    }
    case 'ReplyCompleted':
    case 'ReplyFailed':
      if (!state.replies.has(event.message.id)) scheduleReload();
      break;
    case 'ChatUpdated':
      current.chat = { ...current.chat, ...event.chat };
      showChatHeader(current.chat);
      guarded(loadChats)();
      updateStopButton();
      break;
    case 'ChatDeleted':
      history.replaceState(null, '', location.pathname);
      closeChat();
      setStatus('This chat was deleted.');
      guarded(loadChats)();
      break;
  }
}

/** Shows one message (a search hit): erased ones appear once "Show erased messages" is on. */
async function reveal(messageId) {
  let target = ui.messages.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
  if (!target && state.current && !state.current.showErased) {
    state.current.showErased = true;
    ui.showErased.checked = true;
    await reloadChat();
    target = ui.messages.querySelector(`[data-message-id="${CSS.escape(messageId)}"]`);
  }
  if (!target) return;
  target.scrollIntoView({ block: 'center' });
  target.classList.add('flash');
  setTimeout(() => target.classList.remove('flash'), 2_000);
}

// ---------------------------------------------------------------- sending, stopping

function newIdempotencyKey() {
  // crypto.getRandomValues works on plain http too (randomUUID needs a secure context).
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function send() {
  const content = ui.message.value;
  if (!content.trim() || state.pendingSend || streamingReply()) return;
  const current = state.current;
  // Without a chat open, the send starts one, named after this first message.
  // The same key on a re-sent subscription (lost connection) answers with the same turn, never a second one.
  const opening = current ? { chatId: current.id } : (state.draft ?? {});
  const input = { ...opening, content, idempotencyKey: newIdempotencyKey() };
  state.pendingSend = true;
  updateStopButton();
  setStatus('');
  let handle;
  const dispose = subscribe(
    Q.send,
    { input },
    ({ sendMessage: event }) => {
      if (!handle) {
        if (event.__typename !== 'ReplyStarted') return;
        handle = startedHere(event, dispose, current);
      }
      handle(event);
    },
    (error) => {
      state.pendingSend = false;
      updateStopButton();
      setStatus(describe(error), true);
    },
  );
}

/** The ReplyStarted of this tab's send: show the message, follow the reply through this subscription. */
function startedHere(event, dispose, current) {
  state.pendingSend = false;
  ui.message.value = '';
  if (current === null && state.current === null) current = adoptNewChat(event.chat.id);
  const id = event.assistantMessage.id;
  if (state.current !== current || state.replies.has(id)) {
    // Another view of the same reply is showing it already.
    dispose();
    updateStopButton();
    return () => {};
  }
  appendMessageElement(new MessageView(event.userMessage).element);
  const stream = new ReplyStream(event.assistantMessage);
  state.replies.set(id, stream);
  appendMessageElement(stream.view.element);
  updateStopButton();
  refreshMeter();
  return stream.feed(0, dispose);
}

/** A chat this tab's send just started becomes the open chat, without reading it again yet. */
function adoptNewChat(chatId) {
  history.replaceState(null, '', `#chat=${encodeURIComponent(chatId)}`);
  state.draft = null;
  const current = { id: chatId, chat: null, messages: [], events: null, showErased: false };
  state.current = current;
  ui.messages.replaceChildren();
  current.events = subscribe(Q.chatEvents, { id: chatId }, (data) => onChatEvent(data.chatEvents), (error) => setStatus(describe(error), true));
  scheduleReload();
  guarded(loadChats)();
  return current;
}

/** After a reply ended: the chat moves up the list, erased flags and token counts come from the store. */
async function afterReply() {
  scheduleReload();
  await Promise.all([loadChats(), loadUsage()]);
}

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(send)();
});

ui.message.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    guarded(send)();
  }
});

ui.stop.addEventListener(
  'click',
  guarded(async () => {
    const running = streamingReply();
    if (!running) return;
    await api(Q.stopReply, { id: running.id });
    setStatus('Reply stopped.');
  }),
);

// ---------------------------------------------------------------- token meter

const METER_DELAY_MS = 250;
let meterTimer = 0;

ui.message.addEventListener('input', () => {
  clearTimeout(meterTimer);
  meterTimer = setTimeout(refreshMeter, METER_DELAY_MS);
});

const refreshMeter = guarded(updateMeter);

function windowOf(model) {
  // A dated snapshot (gpt-4o-2024-08-06) has its family's window.
  const family = state.models
    .filter((candidate) => model === candidate.name || model.startsWith(`${candidate.name}-`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  return family?.contextWindow;
}

/**
 * The prompt the next send would make, counted exactly by the server: the
 * messages still in the window (their stored counts), the running summary,
 * and the draft (tokenCount of it, with the reply priming), against the
 * model's window minus the reply budget.
 */
async function updateMeter() {
  const current = state.current;
  if (!current?.chat) {
    ui.tokenMeter.textContent = '';
    return;
  }
  const sequence = ++state.meterSequence;
  const { chat } = current;
  const kept = current.messages.filter((message) => !message.erased);
  const context = kept.reduce((sum, message) => sum + message.tokenCount, 0) + (chat.contextSummary?.tokenCount ?? 0);
  const draft = ui.message.value;
  const draftTokens = draft
    ? (await api(Q.tokenCount, { model: chat.model, messages: [{ role: 'USER', content: draft }] })).tokenCount
    : 0;
  if (sequence !== state.meterSequence) return;
  const total = context + draftTokens;
  const windowSize = windowOf(chat.model);
  const room = windowSize === undefined ? undefined : windowSize - chat.config.maxTokens;
  ui.tokenMeter.textContent =
    `${number(total)}${room === undefined ? '' : ` / ${number(room)}`} tokens` +
    (draftTokens ? ` (draft ${number(draftTokens)})` : '') +
    (room !== undefined && total > room ? ': the oldest messages will leave the window' : '');
  ui.tokenMeter.classList.toggle('over', room !== undefined && total > room);
  ui.tokenMeter.title =
    windowSize === undefined ? '' : `Context window ${number(windowSize)} tokens, of which ${number(chat.config.maxTokens)} are kept for the reply`;
}

// ---------------------------------------------------------------- chat actions

ui.renameForm.addEventListener('submit', (event) => {
  event.preventDefault();
  guarded(async () => {
    if (!state.current) return;
    const { renameChat } = await api(Q.renameChat, { id: state.current.id, title: ui.chatTitle.value });
    state.current.chat = { ...state.current.chat, ...renameChat };
    showChatHeader(state.current.chat);
    setStatus('Renamed.');
    await loadChats();
  })();
});

ui.endChat.addEventListener(
  'click',
  guarded(async () => {
    if (!state.current) return;
    const { endChat } = await api(Q.endChat, { id: state.current.id });
    state.current.chat = { ...state.current.chat, ...endChat };
    showChatHeader(state.current.chat);
    updateStopButton();
    setStatus('Chat ended: it stays readable.');
    await loadChats();
  }),
);

ui.deleteChat.addEventListener(
  'click',
  guarded(async () => {
    const current = state.current;
    if (!current || !confirm(`Delete "${current.chat?.title ?? 'this chat'}" and all its messages?`)) return;
    await api(Q.deleteChat, { id: current.id });
    history.replaceState(null, '', location.pathname);
    closeChat();
    setStatus('Chat deleted.');
    await loadChats();
  }),
);

ui.showErased.addEventListener(
  'change',
  guarded(async () => {
    if (!state.current) return;
    state.current.showErased = ui.showErased.checked;
    await reloadChat();
  }),
);

// ---------------------------------------------------------------- new chat

function fillNewChatForm() {
  ui.newPersona.replaceChildren(
    el('option', { value: '' }, 'None (default system prompt)'),
    ...state.personas.map((persona) => el('option', { value: persona.id, title: persona.description }, persona.name)),
  );
  ui.newModel.replaceChildren(
    el('option', { value: '' }, 'Default model'),
    ...state.models.map((model) => el('option', { value: model.name }, `${model.name} (${number(model.contextWindow)} tokens)`)),
  );
}

ui.newChat.addEventListener('click', () => {
  ui.newChatForm.reset();
  ui.newChatDialog.showModal();
  ui.newTitle.focus();
});

ui.newChatForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const create = event.submitter?.value === 'create';
  ui.newChatDialog.close();
  if (!create) return;
  guarded(async () => {
    const choice = {
      ...(ui.newPersona.value ? { personaId: ui.newPersona.value } : {}),
      ...(ui.newModel.value ? { model: ui.newModel.value } : {}),
    };
    const title = ui.newTitle.value.trim();
    if (!title) {
      // No title: the first message creates the chat, and names it.
      history.replaceState(null, '', location.pathname);
      closeChat();
      state.draft = choice;
      const persona = state.personas.find((candidate) => candidate.id === choice.personaId)?.name;
      const described = [persona, choice.model].filter(Boolean).join(', ');
      ui.messages.replaceChildren(el('p', { className: 'empty hint' }, `New chat${described ? ` (${described})` : ''}: write the first message.`));
      ui.message.focus();
      return;
    }
    const { createChat } = await api(Q.createChat, { input: { title, ...choice } });
    await loadChats();
    location.hash = `chat=${encodeURIComponent(createChat.id)}`;
    ui.message.focus();
  })();
});

// ---------------------------------------------------------------- search

ui.searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const query = ui.search.value.trim();
  if (!query) {
    ui.searchResults.hidden = true;
    return;
  }
  state.search = { query, cursor: null };
  guarded(runSearch)(false);
});

ui.moreHits.addEventListener('click', guarded(() => runSearch(true)));

async function runSearch(more) {
  ui.searchResults.hidden = false;
  let search;
  try {
    ({ search } = await api(Q.search, { query: state.search.query, after: more ? state.search.cursor : null }));
  } catch (error) {
    ui.searchSummary.textContent = describe(error);
    ui.searchHits.replaceChildren();
    ui.moreHits.hidden = true;
    return;
  }
  const items = search.edges.map(({ node }) => searchHit(node));
  if (more) ui.searchHits.append(...items);
  else ui.searchHits.replaceChildren(...items);
  const shown = ui.searchHits.children.length;
  ui.searchSummary.textContent = shown === 0 ? 'No messages found.' : `${shown}${search.pageInfo.hasNextPage ? '+' : ''} found`;
  state.search.cursor = search.pageInfo.endCursor;
  ui.moreHits.hidden = !search.pageInfo.hasNextPage;
}

function searchHit(hit) {
  const snippet = el('span');
  let at = 0;
  for (const { start, length } of hit.highlights) {
    snippet.append(hit.snippet.slice(at, start), el('mark', {}, hit.snippet.slice(start, start + length)));
    at = start + length;
  }
  snippet.append(hit.snippet.slice(at));
  const href = `#chat=${encodeURIComponent(hit.chat.id)}&message=${encodeURIComponent(hit.message.id)}`;
  return el('li', {}, el('a', { href }, el('strong', {}, hit.chat.title), snippet));
}

// ---------------------------------------------------------------- export

/** Fetches an export with the session's credentials and hands it to the browser as a download. */
async function download(path) {
  const response = await fetch(path, { headers: authHeaders(state.credentials) });
  if (!response.ok) {
    const body = await response.json().catch(() => undefined);
    throw new ApiError(body?.error?.code ?? 'INTERNAL', body?.error?.message ?? `Export failed (HTTP ${response.status})`);
  }
  const blob = await response.blob();
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  setStatus(`Downloaded ${name}.`);
}

const exportOf = (extension) => guarded(() => state.current && download(`/export/chats/${encodeURIComponent(state.current.id)}.${extension}`));
ui.exportMd.addEventListener('click', exportOf('md'));
ui.exportJson.addEventListener('click', exportOf('json'));
ui.exportAll.addEventListener('click', guarded(() => download('/export/chats.json')));

// ---------------------------------------------------------------- usage and limits

const plural = (count, one, many) => `${number(count)} ${count === 1 ? one : many}`;
const usd = (value) => `$${value.toFixed(value !== 0 && value < 1 ? 4 : 2)}`;

/**
 * This month's usage and today's and this month's limits, when this server's
 * API offers them (an older one does not): any failure leaves the panel hidden.
 */
async function loadUsage() {
  let data;
  try {
    data = await graphql(Q.usage);
  } catch {
    ui.usage.hidden = true;
    return;
  }
  const { usage, limits } = data;
  const ofLimit = (used, limit, format) => (limit === null ? format(used) : `${format(used)} of ${format(limit)}`);
  const rows = [
    ['This month', `${plural(usage.totals.replies, 'reply', 'replies')}, ${plural(usage.totals.totalTokens, 'token', 'tokens')}, ${usd(usage.totals.costUsd)}`],
    ['Tokens today', ofLimit(limits.tokensToday, limits.dailyTokens, number)],
    ...(limits.monthlyBudgetUsd === null ? [] : [['Budget this month', ofLimit(limits.spentThisMonthUsd, limits.monthlyBudgetUsd, usd)]]),
  ];
  ui.usage.replaceChildren(el('dl', {}, ...rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])));
  ui.usage.hidden = false;
}

// ---------------------------------------------------------------- start

const saved = (() => {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null');
  } catch {
    return null;
  }
})();
ui.signInButton.disabled = false;
if (saved?.token) {
  ui.token.value = saved.token;
  ui.userId.value = saved.userId ?? '';
  signIn(saved).catch((error) => signOut(describe(error)));
} else {
  ui.token.focus();
}
