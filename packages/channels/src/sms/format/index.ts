export { formatSmsReply, maxReplySegments } from './format-reply.js';
export type { FormatSmsReplyInput } from './format-reply.js';
export { toSmsText, stripMarkdown } from './plain-text.js';
export { splitSmsSegments, countSmsSegments, fitSmsSegments, smsEncoding } from './segments.js';
