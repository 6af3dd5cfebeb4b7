/** What the conversation says in its own words; tests compare against these. */
export const WHATSAPP_TEXTS = {
  textOnly: 'Sorry, I can only read text messages. Please type your question and I will answer it.',
  attachmentIgnored: '(I can only read text, so I could not look at your attachment.)',
  busy: 'I am still answering your previous message. Please wait for that answer, then send this one again.',
  apology: 'Sorry, I could not answer that just now. Please try again in a moment.',
  cutShort: '(My answer was cut short. Send your message again for a complete one.)',
  stopped: 'Sorry, my answer was stopped before it began. Please send your message again.',
  empty: 'Sorry, I have no answer to that.',
  tooLong: 'Sorry, that message is too long for me to read in one go. Please send a shorter one.',
  newChat: 'Started a new chat; your earlier chats are kept. What would you like to talk about?',
  summaryOn: 'Summaries are on for this chat: when it grows too long for me to remember whole, I keep a summary of the earlier part instead of forgetting it.',
  summaryOff: 'Summaries are off for this chat: when it grows too long, I forget the earliest messages.',
  summaryNoChat: 'There is no chat yet. Send a message to start one, then /summary on.',
  summaryUsage: 'Send /summary on or /summary off.',
  rateLimited: 'You are sending messages faster than I can answer them. Please wait a minute, then send this one again.',
  quotaExceeded: 'You have used up your allowance for now, so I cannot answer this message. Send /usage to see what is left and when it renews.',
} as const;
