import { buildIcs, toIcsDataUrl } from '../ics/ics.js';
import { formatRange } from '../i18n/format.js';
import type { PushCard, WidgetState } from '../state/state.js';
import type { BookingInfo, ChatMessage, OfferedSlot } from '../types.js';
import { useWidget } from './context.js';
import { DeviceOffer } from './device.js';

function SlotButtons({ slots, isDisabled }: { slots: OfferedSlot[]; isDisabled: boolean }) {
  const { controller, t } = useWidget();
  return (
    <div class="s" role="group" aria-label={t('slotsLabel')}>
      {slots.map((slot) => (
        <button type="button" key={slot.start} disabled={isDisabled} onClick={() => void controller.send(slot.label)}>
          {slot.label}
        </button>
      ))}
    </div>
  );
}

function BookingCard({ booking }: { booking: BookingInfo }) {
  const { t, language, domain, now } = useWidget();
  const isCancelled = booking.action === 'cancelled';
  const ics = isCancelled ? '' : buildIcs({ ...booking, summary: booking.serviceName, domain, now: new Date(now()) });
  return (
    <div class={isCancelled ? 'k cx' : 'k'} data-reference={booking.reference}>
      <strong>{t(`card.${booking.action}`)}</strong>
      <span>
        {booking.serviceName} · {formatRange(booking.start, booking.end, language)}
      </span>
      <span>
        {t('card.reference')}: <code>{booking.reference}</code>
      </span>
      {!isCancelled && (
        <a class="lk" href={toIcsDataUrl(ics)} download={`appointment-${booking.reference}.ics`}>
          {t('card.addToCalendar')}
        </a>
      )}
    </div>
  );
}

function Message({ message, isLast, isPending, isBlocked }: { message: ChatMessage; isLast: boolean; isPending: boolean; isBlocked: boolean }) {
  const { controller, t } = useWidget();
  const isUser = message.role === 'user';
  return (
    <>
      <div class={`b ${isUser ? 'u' : 'a'}${message.role === 'staff' ? ' st' : ''}${message.failed ? ' f' : ''}`}>
        {message.role === 'staff' ? <span class="sn">{t('staff')}: </span> : <span class="sr">{isUser ? t('you') : t('assistant')}: </span>}
        {message.text}
      </div>
      {message.failed && !isBlocked && (
        <div class="fr">
          {t('error.sendFailed')}
          <button type="button" class="lk" onClick={() => void controller.retry(message.id)}>
            {t('retry')}
          </button>
        </div>
      )}
      {message.slots && <SlotButtons slots={message.slots} isDisabled={!isLast || isPending} />}
      {message.booking && <BookingCard booking={message.booking} />}
    </>
  );
}

function Cards({ cards }: { cards: PushCard[] }) {
  const { controller, t } = useWidget();
  return (
    <>
      {cards.map((card) => (
        <div class="pc" key={card.id} role="status">
          <p>{t(card.key, card.vars)}</p>
          {card.prompt && (
            <button
              type="button"
              onClick={() => {
                controller.dispatch({ type: 'dismissCard', id: card.id });
                void controller.send(card.prompt!);
              }}
            >
              {t('push.book')}
            </button>
          )}
          <button type="button" aria-label={t('dismiss')} onClick={() => controller.dispatch({ type: 'dismissCard', id: card.id })}>
            ×
          </button>
        </div>
      ))}
    </>
  );
}

/** The conversation: a polite live region, so screen readers announce each new message once. */
export function MessageList({ state, greeting }: { state: WidgetState; greeting: string }) {
  const { t } = useWidget();
  const { messages, isPending, status } = state;
  return (
    <div class="m" role="log" aria-live="polite" aria-relevant="additions" tabIndex={0} aria-label={t('title')}>
      <div class="b a">{greeting}</div>
      {messages.map((message, index) => (
        <Message key={message.id} message={message} isLast={index === messages.length - 1} isPending={isPending} isBlocked={Boolean(state.blocked)} />
      ))}
      {status && (
        <div class={status === 'booked' ? 'c ok' : 'c'} role="status">
          {status !== 'booked' && <i aria-hidden="true" />}
          {t(`status.${status}`)}
        </div>
      )}
      {state.streaming && (
        // Hidden from screen readers: the finished reply replaces it and is announced once, whole.
        <div class="b a st" aria-hidden="true">
          {state.streaming}
        </div>
      )}
      {isPending && !state.streaming && (
        <div class="t" aria-label={t('typing')} role="img">
          <i />
          <i />
          <i />
        </div>
      )}
      <Cards cards={state.cards} />
      <DeviceOffer state={state} />
    </div>
  );
}
