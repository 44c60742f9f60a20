/**
 * The web page the tenant's widget lives on (`settings.siteUrl`, an http(s) URL), or null. Links
 * that open the widget (waitlist offers, a call's "text me a link", the busy line's SMS) are built
 * on it; without one they are not sent.
 */
export function siteUrlOf(settings: Record<string, unknown>): URL | null {
  const raw = settings['siteUrl'];
  if (typeof raw !== 'string') return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}
