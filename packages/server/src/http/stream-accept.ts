/**
 * True when a request names a response format (`trpc-accept`) or accepts JSON lines. tRPC answers
 * such a call with 400 ("Streaming requests must be batched") unless it is batched, so a fast path
 * leaves it to tRPC to say so, in its own words.
 */
export function asksForStream(headers: { 'trpc-accept'?: string | string[] | undefined; accept?: string | undefined }): boolean {
  return headers['trpc-accept'] !== undefined || (headers.accept?.includes('application/jsonl') ?? false);
}
