import { useEffect, useRef, useState } from 'preact/hooks';
import { mutate, query } from '../api.js';
import { navigate } from '../router.js';
import { useMe } from '../session.js';
import { FormError } from '../ui/field.js';
import { useAction, useLoad } from '../ui/use-load.js';
import { ForgetDevicesButton } from './forget-devices.js';
import { useInboxLive } from './inbox-live.js';
import type { ConsolePage, PageProps } from './page.js';

type Handoff = 'ai' | 'needs_staff' | 'staff';

interface Summary {
  sessionId: string;
  channel: 'web' | 'sms' | 'voice';
  handoff: Handoff;
  handoffReason: 'asked' | 'failures' | null;
  staffId: string | null;
  contact: { name: string | null; email: string | null; phone: string | null };
  updatedAt: string;
  lastMessage: { role: string; content: string } | null;
}

interface Message {
  id: number;
  role: 'user' | 'assistant' | 'tool' | 'staff';
  content: string;
  toolCalls: Array<{ name: string; arguments: string }> | null;
  toolName: string | null;
  createdAt: string;
}

interface Decision {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  tool: string | null;
  outcome: string;
  reason: string | null;
}

interface Detail extends Summary {
  messages: Message[];
  decisions: Decision[];
}

const handoffLabels: Record<Handoff, string> = { ai: 'Receptionist', needs_staff: 'Needs a person', staff: 'Held by staff' };
const speakers: Record<Message['role'], string> = { user: 'Customer', assistant: 'Receptionist', tool: 'Tool result', staff: 'Staff' };

function time(iso: string): string {
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

function who(c: Summary): string {
  return c.contact.name ?? c.contact.email ?? c.contact.phone ?? 'Anonymous visitor';
}

function HandoffBadge({ handoff }: { handoff: Handoff }) {
  return <span class={`badge badge-${handoff}`}>{handoffLabels[handoff]}</span>;
}

/** A short two-note chime when another customer starts waiting (issue 17: "badge and sound"). */
function chime(): void {
  try {
    const audio = new AudioContext();
    [660, 880].forEach((frequency, index) => {
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      gain.gain.value = 0.05;
      tone.frequency.value = frequency;
      tone.connect(gain).connect(audio.destination);
      tone.start(audio.currentTime + index * 0.15);
      tone.stop(audio.currentTime + index * 0.15 + 0.12);
    });
  } catch {
    // No audio (or not allowed before a click): the badge alone says it.
  }
}

// Keyboard use (issue 17, item 8): opening a conversation moves focus to its heading, taking it over
// to the reply box, handing it back to "Take over", and Escape returns to the list with focus on
// the conversation just left — focus never falls back to the top of the page.
/** The conversation Escape just left, to focus its link in the list once the list is shown. */
let returningFrom: string | null = null;

function ConversationList() {
  const [filter, setFilter] = useState<Handoff | ''>('');
  const list = useLoad(() => query<{ conversations: Summary[] }>('console.inbox.list', filter ? { handoff: filter } : {}), [filter]);
  const waiting = useLoad(() => query<{ conversations: Summary[] }>('console.inbox.list', { handoff: 'needs_staff' }), []);
  useInboxLive(() => {
    list.reload();
    waiting.reload();
  });
  const count = waiting.data?.conversations.length ?? 0;
  useEffect(() => {
    if (!returningFrom || !list.data) return;
    document.querySelector<HTMLElement>(`a[data-session="${CSS.escape(returningFrom)}"]`)?.focus();
    returningFrom = null;
  }, [list.data]);
  const previous = useRef<number | null>(null);
  useEffect(() => {
    if (waiting.data === undefined) return;
    if (previous.current !== null && count > previous.current) chime();
    previous.current = count;
  }, [count, waiting.data]);
  return (
    <>
      <p role="status" class={count > 0 ? 'bad' : undefined}>
        {count === 0 ? 'Nobody is waiting for a person.' : `${count} conversation${count === 1 ? '' : 's'} waiting for a person.`}
      </p>
      <div class="toolbar">
        <div class="field">
          <label for="inbox-filter">Show</label>
          <select id="inbox-filter" value={filter} onChange={(event) => setFilter(event.currentTarget.value as Handoff | '')}>
            <option value="">All conversations</option>
            <option value="needs_staff">Needs a person</option>
            <option value="staff">Held by staff</option>
            <option value="ai">With the receptionist</option>
          </select>
        </div>
      </div>
      <FormError error={list.error} />
      {list.isLoading && !list.data && <p class="loading">Loading…</p>}
      {list.data && list.data.conversations.length === 0 && <p>No conversations yet.</p>}
      <ul class="cards inbox">
        {list.data?.conversations.map((c) => (
          <li key={c.sessionId} class="booking">
            <a href={`#/inbox/${encodeURIComponent(c.sessionId)}`} data-session={c.sessionId}>
              <strong>{who(c)}</strong> · {c.channel.toUpperCase()} · {time(c.updatedAt)}
            </a>{' '}
            <HandoffBadge handoff={c.handoff} />
            {c.lastMessage && <p class="preview">{c.lastMessage.content}</p>}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The transcript with tool calls and policy decisions inline, in time order. */
function Timeline({ detail }: { detail: Detail }) {
  const entries = [
    ...detail.messages.map((m) => ({ at: m.createdAt, key: `m${m.id}`, message: m as Message | undefined, decision: undefined as Decision | undefined })),
    ...detail.decisions.map((d) => ({ at: d.occurredAt, key: `d${d.seq}`, message: undefined, decision: d as Decision | undefined })),
  ].sort((x, y) => x.at.localeCompare(y.at));
  return (
    <ol class="timeline" aria-label="Transcript">
      {entries.map(({ key, message, decision }) =>
        message ? (
          <li key={key} class={`msg msg-${message.role}`}>
            <span class="speaker">{message.toolName ? `${speakers.tool} (${message.toolName})` : speakers[message.role]}</span> <time>{time(message.createdAt)}</time>
            {message.toolCalls && message.toolCalls.length > 0 ? (
              <ul class="tools">
                {message.toolCalls.map((call) => (
                  <li key={call.name}>
                    Tool call <code>{call.name}</code> <code>{call.arguments}</code>
                  </li>
                ))}
              </ul>
            ) : (
              <p>{message.content}</p>
            )}
          </li>
        ) : (
          <li key={key} class="decision">
            <span class="speaker">Policy</span> <time>{time(decision!.occurredAt)}</time>{' '}
            <span class={decision!.outcome === 'denied' || decision!.outcome === 'failed' ? 'bad' : undefined}>
              {decision!.actor} · {decision!.tool ?? decision!.action} · {decision!.outcome}
            </span>
            {decision!.reason && <p class="hint">{decision!.reason}</p>}
          </li>
        ),
      )}
    </ol>
  );
}

function Conversation({ sessionId }: { sessionId: string }) {
  const me = useMe();
  const detail = useLoad(() => query<Detail>('console.inbox.get', { sessionId }), [sessionId]);
  const action = useAction();
  const [text, setText] = useState('');
  /** Where focus goes once the change is shown (the button pressed may be gone by then). */
  const [focusNext, setFocusNext] = useState<string | null>('#conversation-title');
  useInboxLive(() => detail.reload());
  const change = async (path: string, input: Record<string, unknown>, then: string) => {
    const done = await action.run(() => mutate(path, { sessionId, ...input }));
    if (done !== undefined) {
      setFocusNext(then);
      detail.reload();
    }
    return done;
  };
  const d = detail.data;
  const isMine = d?.handoff === 'staff' && d.staffId === me.staffId;
  useEffect(() => {
    if (!focusNext || !d) return;
    const target = document.querySelector<HTMLElement>(focusNext);
    if (!target) return;
    target.focus();
    setFocusNext(null);
  }, [d, focusNext]);
  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'Escape') return;
    // Escape leaves the conversation, but never throws away a reply being written.
    if (event.target instanceof HTMLTextAreaElement && event.target.value !== '') return;
    returningFrom = sessionId;
    navigate('inbox');
  }
  return (
    <div onKeyDown={onKeyDown}>
      <p>
        <a href="#/inbox">← All conversations</a>
      </p>
      <FormError error={detail.error} />
      {d && (
        <>
          <h2 id="conversation-title" tabIndex={-1}>
            {who(d)} · {d.channel.toUpperCase()} <HandoffBadge handoff={d.handoff} />
          </h2>
          <p class="hint">
            {[d.contact.email, d.contact.phone].filter(Boolean).join(' · ') || 'No contact details given.'}
            {d.handoffReason && ` Handed to a person: ${d.handoffReason === 'asked' ? 'the customer asked' : 'the receptionist failed twice'}.`}
          </p>
          <div class="toolbar">
            {!isMine && (
              <button type="button" id="take-over" disabled={action.isBusy} onClick={() => void change('console.inbox.takeOver', {}, '#staff-reply')}>
                Take over
              </button>
            )}
            {(d.contact.email || d.contact.phone) && <ForgetDevicesButton customer={{ sessionId: d.sessionId }} who={who(d)} />}
            {d.handoff !== 'ai' && (d.handoff === 'needs_staff' || isMine) && (
              <button type="button" class="secondary" disabled={action.isBusy} onClick={() => void change('console.inbox.handBack', {}, '#take-over')}>
                Hand back to the receptionist
              </button>
            )}
          </div>
          <FormError error={action.error} fields={['text']} />
          <Timeline detail={d} />
          {isMine && (
            <form
              class="panel"
              onSubmit={(event) => {
                event.preventDefault();
                void change('console.inbox.reply', { text }, '#staff-reply').then((sent) => sent !== undefined && setText(''));
              }}
            >
              <div class="field">
                <label for="staff-reply">Reply to the customer ({d.channel === 'web' ? 'shown in the chat' : 'sent by SMS'})</label>
                <textarea id="staff-reply" name="text" rows={3} value={text} onInput={(event) => setText(event.currentTarget.value)} aria-invalid={action.error?.fieldMessage('text') ? 'true' : undefined} aria-describedby={action.error?.fieldMessage('text') ? 'staff-reply-error' : undefined} />
                {action.error?.fieldMessage('text') && (
                  <span class="error" id="staff-reply-error">
                    {action.error.fieldMessage('text')}
                  </span>
                )}
              </div>
              <button type="submit" disabled={action.isBusy}>
                Send reply
              </button>
            </form>
          )}
        </>
      )}
    </div>
  );
}

function Inbox({ params }: PageProps) {
  const sessionId = params[0];
  if (sessionId) return <Conversation sessionId={sessionId} />;
  return <ConversationList />;
}

/** Conversations (issue 17 items 3 and 4): the inbox, and one conversation with take over / reply / hand back. */
export const inboxPage: ConsolePage = { path: 'inbox', title: 'Conversations', component: Inbox };

