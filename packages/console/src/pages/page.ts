import type { ComponentType } from 'preact';

/** What a page component gets: the route segments after its own path (`#/bookings/week` → `['week']`). */
export interface PageProps {
  params: string[];
}

/** One console page: adding a page is one file exporting this, plus one line in `registry.ts`. */
export interface ConsolePage {
  /** The first hash segment: the page lives at `#/<path>`. */
  path: string;
  /** The navigation link and the page's heading. */
  title: string;
  /** Hidden from staff-role members (the server refuses them anyway). */
  isOwnerOnly?: boolean;
  component: ComponentType<PageProps>;
}
