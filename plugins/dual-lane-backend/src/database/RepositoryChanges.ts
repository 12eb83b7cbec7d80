/** Called with the ids of repositories whose facts were just written. */
export type RepositoriesChangedListener = (
  repositoryIds: number[],
) => Promise<void> | void;

/**
 * The stores announce every write of facts here, whichever path wrote them
 * (GitHub sync, webhook, ingest, re-verification, an agent's verdict), so
 * that what derives from those facts (compliance) can catch up without
 * each writer having to remember to say so.
 */
export class RepositoryChanges {
  private readonly listeners: RepositoriesChangedListener[] = [];

  subscribe(listener: RepositoriesChangedListener): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at !== -1) this.listeners.splice(at, 1);
    };
  }

  async notify(repositoryIds: Iterable<number | undefined>): Promise<void> {
    const ids = [...new Set(repositoryIds)].filter(
      (id): id is number => id !== undefined,
    );
    if (ids.length === 0) return;
    for (const listener of this.listeners) {
      await listener(ids);
    }
  }
}
