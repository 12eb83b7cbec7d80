/** A page of results. `nextCursor` is absent on the last page. */
export interface Page<T> {
  items: T[];
  totalCount: number;
  nextCursor?: string;
}
