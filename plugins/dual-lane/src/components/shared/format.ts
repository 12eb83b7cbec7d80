/** `2026-11-23 21:06 UTC`: the same for every viewer, sortable. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2026-11-23`. */
export function formatDay(iso: string | undefined): string {
  if (!iso) return '—';
  return formatTime(iso).slice(0, 10);
}

/** `15 min`, `2 h 5 min`, `3 d 4 h`. */
export function formatMinutes(minutes: number | undefined | null): string {
  if (minutes === undefined || minutes === null) return '—';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) {
    const rest = m % 60;
    return `${Math.floor(m / 60)} h${rest ? ` ${rest} min` : ''}`;
  }
  const hours = Math.floor((m % (24 * 60)) / 60);
  return `${Math.floor(m / (24 * 60))} d${hours ? ` ${hours} h` : ''}`;
}

/** The first 7 characters of a commit id. */
export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

/** `sha256:0123456789ab…` */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '—';
  return digest.length > 19 ? `${digest.slice(0, 19)}…` : digest;
}

/** `0.953` → `95.3%`; null → `—`. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  return `${Math.round(ratio * 1000) / 10}%`;
}

/** `1.2 MB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 102.4) / 10} KB`;
  return `${Math.round(bytes / (1024 * 102.4)) / 10} MB`;
}

/** `1 pull request`, `2 pull requests`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
