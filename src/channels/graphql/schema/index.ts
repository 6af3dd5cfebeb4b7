import { builder } from '../builder.js';
import './date-time.js';
import './error-code.js';
import './persona.js';
import './model.js';
import './chat-config.js';
import './message.js';
import './context-summary.js';
import './chat.js';
import './token-count.js';
import './reply-event.js';
import './send-message.js';
import './chat-event.js';
import './usage.js';
import './search.js';

export const schema = builder.toSchema();
