/**
 * What a `--storage` value names, and how it may be shown. A PostgreSQL URL may carry a password
 * (in its user part or as a `password=` query parameter): every message, status line and report
 * shows `redactLocation(location)`, never the value itself.
 */

/** `postgres://…` or `postgresql://…` (any case). */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** The location with any password replaced by `***`; other text is returned as it is. */
export function redactLocation(location: string): string {
  return location
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@')
    .replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** The password a PostgreSQL URL carries (decoded), to scrub from driver messages; null if none. */
export function urlPassword(location: string): string | null {
  try {
    const url = new URL(location);
    const inQuery = url.searchParams.get('password');
    const password = url.password ? decodeURIComponent(url.password) : inQuery;
    return password ? password : null;
  } catch {
    return null;
  }
}
