import type { ConsolePage } from './page.js';

function Bookings() {
  return <p>Coming soon.</p>;
}

export const bookingsPage: ConsolePage = { path: 'bookings', title: 'Bookings', component: Bookings };
