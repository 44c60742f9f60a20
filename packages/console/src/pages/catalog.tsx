// What the Services and Staff & rooms pages read (`console.catalog.list`), shared by both.
import type { ComponentChildren } from 'preact';
import { query } from '../api.js';
import { useMe } from '../session.js';

export interface Hours {
  weekday: number;
  opens: string;
  closes: string;
}

export interface StaffService {
  id: string;
  name: string;
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  priceCents: number | null;
  currency: string | null;
  changeDeadlineHours: number;
  isActive: boolean;
  isAnyResource: boolean;
  resourceIds: string[];
  upcomingBookings: number;
}

export interface StaffResource {
  id: string;
  name: string;
  kind: 'staff' | 'room' | 'equipment';
  isActive: boolean;
  hours: Hours[];
  upcomingBookings: number;
}

export interface Catalog {
  services: StaffService[];
  resources: StaffResource[];
}

export const loadCatalog = () => query<Catalog>('console.catalog.list');

/** A number field's text as the API expects it; an empty box is sent as it is, for the server to name. */
export function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/**
 * Edit forms that any staff member may read but only an owner may change (the server refuses the
 * rest with 403): for staff every control inside is disabled, and the page says why.
 */
export function OwnerOnly({ children }: { children: ComponentChildren }) {
  const isOwner = useMe().role === 'owner';
  return (
    <fieldset class="owner-only" disabled={!isOwner}>
      {!isOwner && <legend class="hint">Only an owner can change these.</legend>}
      {children}
    </fieldset>
  );
}
