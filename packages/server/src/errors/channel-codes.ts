/**
 * The codes `@gomomo/channels`' `ChannelError` carries, mirrored here so the error table (and with
 * it `@gomomo/server/contract`, which `@gomomo/client` inlines) names no channels type. A test
 * checks this list against channels' own `channelErrorCodes`.
 */
export const channelErrorCodesMirror = ['VALIDATION', 'CONFIGURATION', 'PERMANENT', 'TRANSIENT', 'RATE_LIMITED', 'SIGNATURE', 'NOT_FOUND'] as const;

export type ChannelErrorCodeMirror = (typeof channelErrorCodesMirror)[number];
