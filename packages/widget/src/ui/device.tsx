// "Remember me on this device" (issue 20 item 2): offered only when the server says so (the business
// turned it on and a one-time code proved the customer in this conversation), and "Forget this
// device" whenever one is remembered. The widget keeps only the opaque token the server issued.
import type { WidgetState } from '../state/state.js';
import { useWidget } from './context.js';

/** The offer, under the conversation: accept, or not now. */
export function DeviceOffer({ state }: { state: WidgetState }) {
  const { controller, t } = useWidget();
  if (state.device !== 'offer') return null;
  return (
    <div class="pc dv" role="status">
      <p>{t('device.offer')}</p>
      <button type="button" class="pb" onClick={() => void controller.rememberDevice()}>
        {t('device.remember')}
      </button>
      <button type="button" aria-label={t('dismiss')} onClick={() => controller.dispatch({ type: 'device', device: 'declined' })}>
        ×
      </button>
    </div>
  );
}

/** In the header while this device is remembered. */
export function ForgetDevice({ state }: { state: WidgetState }) {
  const { controller, t } = useWidget();
  if (state.device !== 'remembered') return null;
  return (
    <button type="button" class="fg" onClick={() => void controller.forgetDevice()}>
      {t('device.forget')}
    </button>
  );
}
