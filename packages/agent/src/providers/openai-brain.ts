import type OpenAI from 'openai';
import type { ChatCompletionMessageFunctionToolCall, ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import type { Brain, BrainReply, BrainTurn } from '../brains/types.js';
import type { NewMessage } from '../conversations/store.js';
import type { ToolResult } from '../executor/types.js';
import { describeOffer, systemPrompt } from '../prompts/system-prompt.js';
import { summarizeToolResult, toFunctionDefinitions } from '../tools/definitions.js';
import type { ConversationMessage, OfferedSlot } from '../types.js';

export interface OpenAIBrainOptions {
  apiKey: string;
  /** Any OpenAI-compatible server: Azure OpenAI, a local model server, a test fake. */
  baseURL?: string | undefined;
  /** Default `gpt-4o`. */
  model?: string | undefined;
  /** Per request; default 30 s. */
  timeoutMs?: number | undefined;
  /** SDK retries on 408/409/429/5xx and connection errors; default 2. */
  maxRetries?: number | undefined;
  /** Earlier messages sent with each turn; default 30. */
  historyLimit?: number | undefined;
  temperature?: number | undefined;
}

const tools: ChatCompletionTool[] = toFunctionDefinitions();

/** Earlier turns as the model saw them. A window that starts mid-exchange is trimmed to a user message. */
function toModelHistory(history: ConversationMessage[]): ChatCompletionMessageParam[] {
  const start = history.findIndex((m) => m.role === 'user');
  if (start === -1) return [];
  return history.slice(start).map((m): ChatCompletionMessageParam => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId ?? '', content: m.content };
    if (m.role === 'assistant' && m.toolCalls?.length) {
      return { role: 'assistant', content: m.content || null, tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) };
    }
    // A staff member's words, while they held the conversation, read to the model as the business's side.
    if (m.role === 'staff') return { role: 'assistant', content: `(A staff member wrote:) ${m.content}` };
    return { role: m.role, content: m.content };
  });
}

/** An honest apology: what did happen before the provider failed, and that nothing else did. */
function apologise(done: ToolResult[]): string {
  // Each tool's summary line comes from its descriptor (tools/<tool>.ts, `summary`).
  const lines = done.flatMap((r) => {
    const line = r.ok ? summarizeToolResult(r.tool, r.data) : undefined;
    return line === undefined ? [] : [line];
  });
  const head = "I'm sorry, I'm having trouble answering right now.";
  return lines.length ? `${head} ${lines.join(' ')} Nothing else was changed. Please try again in a moment.` : `${head} Nothing was booked or changed. Please try again in a moment.`;
}

/** Words already streamed stay said; the apology follows them. */
function withApology(said: string, done: ToolResult[]): string {
  return [said.trim(), apologise(done)].filter(Boolean).join(' ');
}

/** The caller interrupted: the reply is what was said, or what the tools did when nothing was. */
function interrupted(said: string, done: ToolResult[]): string {
  if (said.trim() !== '') return said.trim();
  return done.flatMap((r) => (r.ok ? [summarizeToolResult(r.tool, r.data)] : [])).filter((line): line is string => line !== undefined).join(' ');
}

/**
 * A brain backed by any OpenAI-compatible chat completions API, with the tools as functions. Every
 * round is streamed: the model's words reach `turn.write` as they arrive. Tool rounds are capped per turn; a provider failure (timeout, 5xx after retries,
 * bad response) becomes an honest apology, never a stack trace.
 */
export function createOpenAIBrain(options: OpenAIBrainOptions): Brain {
  const model = options.model ?? 'gpt-4o';
  // The SDK is loaded on the first turn, not at import: an install running the offline brain never
  // pays its ~14 MB of resident memory.
  let client: Promise<OpenAI> | undefined;
  const getClient = () =>
    (client ??= import('openai').then(
      ({ default: OpenAISdk }) => new OpenAISdk({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs ?? 30_000, maxRetries: options.maxRetries ?? 2 }),
    ));

  /**
   * One model round, streamed (Chat Completions with `stream: true`): content is written as it
   * arrives, tool calls are assembled from their pieces. Resolves to the whole message.
   */
  async function complete(messages: ChatCompletionMessageParam[], round: { allowTools: boolean; write: (delta: string) => void; signal?: AbortSignal | undefined }) {
    const stream = await (await getClient()).chat.completions.create(
      {
        model,
        messages,
        tools,
        tool_choice: round.allowTools ? 'auto' : 'none',
        stream: true,
        ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      },
      { signal: round.signal },
    );
    let content = '';
    const calls: Array<{ id: string; name: string; arguments: string }> = [];
    for await (const chunk of stream) {
      const delta = chunk.choices?.[0]?.delta;
      if (!delta) continue;
      if (delta.content) {
        content += delta.content;
        round.write(delta.content);
      }
      for (const piece of delta.tool_calls ?? []) {
        const call = (calls[piece.index] ??= { id: '', name: '', arguments: '' });
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
      }
    }
    const toolCalls: ChatCompletionMessageFunctionToolCall[] = calls.filter(Boolean).map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    return { content, tool_calls: toolCalls };
  }

  return {
    name: 'openai',
    historyLimit: options.historyLimit ?? 30,
    async respond(turn: BrainTurn): Promise<BrainReply> {
      const messages: ChatCompletionMessageParam[] = [
        { role: 'system', content: systemPrompt({ tenant: turn.tenant, now: turn.now, channel: turn.channel, farDateConfirmDays: turn.farDateConfirmDays }) },
        ...(turn.pendingOffer ? [{ role: 'system' as const, content: describeOffer(turn.pendingOffer) }] : []),
        ...toModelHistory(turn.history),
        { role: 'user', content: turn.text },
      ];
      const stored: NewMessage[] = [];
      const results: ToolResult[] = [];
      // Everything the model said this turn, across rounds: a round's words before its tool calls
      // were already shown, so the reply keeps them.
      let said = '';
      const write = (delta: string): void => {
        said += delta;
        turn.write?.(delta);
      };
      const signal = turn.signal;
      try {
        for (let round = 0; round <= turn.maxToolRounds; round++) {
          if (said !== '' && !/\s$/.test(said)) write(' ');
          const message = await complete(messages, { allowTools: round < turn.maxToolRounds, write, signal });
          const calls = message.tool_calls;
          if (calls.length === 0) return { text: said.trim() || 'Sorry, could you say that again?', messages: stored };
          // Out of rounds, or the caller hung up: whatever the model still wants to call is not run.
          if (round === turn.maxToolRounds || signal?.aborted) break;
          const records = calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }));
          messages.push({ role: 'assistant', content: message.content || null, tool_calls: calls });
          stored.push({ role: 'assistant', content: message.content, toolCalls: records });
          for (const call of calls) {
            const result = await turn.callTool(call.function.name, call.function.arguments);
            results.push(result);
            if (result.ok && result.tool === 'check_availability') {
              turn.emit({ type: 'slots', serviceId: String(result.data.serviceId), slots: result.data.slots as OfferedSlot[] });
            }
            const content = JSON.stringify(result);
            messages.push({ role: 'tool', tool_call_id: call.id, content });
            stored.push({ role: 'tool', content, toolCallId: call.id, toolName: call.function.name });
          }
        }
        if (signal?.aborted) return { text: interrupted(said, results), messages: stored };
        return { text: withApology(said, results), messages: stored };
      } catch (error) {
        if (signal?.aborted) return { text: interrupted(said, results), messages: stored };
        turn.emit({ type: 'error', message: `The language model is unavailable (${error instanceof Error ? error.constructor.name : 'error'})` });
        return { text: withApology(said, results), messages: stored };
      }
    },
  };
}
