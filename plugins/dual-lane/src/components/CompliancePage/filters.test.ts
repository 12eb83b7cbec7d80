import { hasFilters, listQuery } from './filters';

describe('listQuery', () => {
  it('maps sort columns and directions to the API', () => {
    expect(
      listQuery({
        filters: {},
        search: '',
        pageSize: 20,
        sort: { column: 'failingCount', direction: 'descending' },
      }),
    ).toMatchObject({ limit: 20, sort: 'failingCount', order: 'desc' });
  });

  it('leaves the backend default order when unsorted or sorted by another column', () => {
    const query = listQuery({
      filters: {},
      search: '',
      pageSize: 20,
      sort: { column: 'criteria', direction: 'ascending' },
    });
    expect(query.sort).toBeUndefined();
    expect(query.order).toBeUndefined();
  });

  it('passes filters, a single verdict and a trimmed search', () => {
    expect(
      listQuery({
        filters: {
          owner: 'group:default/team-a',
          verdict: 'no-go',
          criterion: 'label-accuracy',
          criterionStatus: 'waived',
        },
        search: '  pay ',
        cursor: 'c1',
        pageSize: 50,
        sort: null,
      }),
    ).toEqual({
      limit: 50,
      cursor: 'c1',
      owner: 'group:default/team-a',
      system: undefined,
      verdict: ['no-go'],
      criterion: 'label-accuracy',
      criterionStatus: 'waived',
      q: 'pay',
    });
  });

  it('drops a criterion status without a criterion', () => {
    expect(
      listQuery({
        filters: { criterionStatus: 'fail' },
        search: '',
        pageSize: 20,
        sort: null,
      }).criterionStatus,
    ).toBeUndefined();
  });
});

describe('hasFilters', () => {
  it('is true for any filter or search', () => {
    expect(hasFilters({}, '')).toBe(false);
    expect(hasFilters({ owner: undefined }, ' ')).toBe(false);
    expect(hasFilters({ system: 'system:default/x' }, '')).toBe(true);
    expect(hasFilters(undefined, 'x')).toBe(true);
  });
});
