// A waitlist offer's link opens the host page with `#gomomo-offer=<token>`: a fragment, so the
// single-use token never reaches a server's access log. The widget takes it out of the address bar
// at once (history, bookmarks, a shared screenshot, the next page's Referer) and spends it.

const offerParam = 'gomomo-offer=';

/** The offer token in the page's fragment, removed from the address bar; undefined without one. */
export function takeOfferToken(): string | undefined {
  const parts = location.hash.slice(1).split('&');
  const found = parts.find((part) => part.startsWith(offerParam));
  if (found === undefined) return undefined;
  const rest = parts.filter((part) => part !== found).join('&');
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  const token = found.slice(offerParam.length);
  return /^gmo_[\w-]{43}$/.test(token) ? token : undefined;
}
