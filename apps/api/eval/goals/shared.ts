/** Days ahead of the eval clock (Thursday 5 March 2026), as a customer says them and as dates. */
export const days: Array<[said: string, date: string]> = [
  ['tomorrow', '2026-03-06'],
  ['Monday', '2026-03-09'],
  ['Tuesday March 10', '2026-03-10'],
  ['March 11', '2026-03-11'],
  ['the 12th', '2026-03-12'],
  ['Friday March 13', '2026-03-13'],
  ['Monday March 16', '2026-03-16'],
  ['March 17', '2026-03-17'],
];

export const times: Array<[said: string, clock: string]> = [
  ['10am', '10:00'],
  ['2:30pm', '14:30'],
  ['11:15', '11:15'],
  ['3pm', '15:00'],
  ['9am', '09:00'],
  ['4:15pm', '16:15'],
];

export const contacts = ['Ana Silva, ana@example.com', 'My name is Ben Okafor and my email is ben@example.com', 'Cleo Park cleo@example.com', "I'm Dev Rao, dev@example.com"];

export const yeses = ['yes', 'Yes please', 'yep, book it', 'sure', 'ok', 'Confirm', 'Sounds good', 'go ahead', 'yes, {time} is perfect', 'Yes that works'];

/** Yeses to a change of an existing booking ("book it" would be a yes to something else). */
export const changeYeses = ['yes', 'Yes please', 'yes, do it', 'sure', 'ok', 'Confirm', 'Sounds good', 'go ahead', 'yes, {time} is right', 'Yes that works'];

/** The customer's booking, seeded by staff, that reschedule and cancel goals work on. */
export const anasBooking = { key: 'A', at: '2026-03-10T09:00', name: 'Ana Silva', email: 'ana@example.com' };
export const anasOtherBooking = { key: 'B', at: '2026-03-10T11:00', name: 'Ana Silva', email: 'ana@example.com' };

export function pick<T>(list: T[], index: number): T {
  return list[index % list.length]!;
}
