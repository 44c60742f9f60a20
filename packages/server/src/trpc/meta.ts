/**
 * Procedure metadata: the subset of trpc-to-openapi's `OpenApiMeta` we use, declared here so the
 * router's public type (and `@gomomo/client`'s typings) does not depend on trpc-to-openapi.
 */
export interface GomomoMeta {
  [key: string]: unknown;
  openapi?: {
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    path: `/${string}`;
    summary?: string;
    description?: string;
    protect?: boolean;
    tags?: string[];
  };
}
