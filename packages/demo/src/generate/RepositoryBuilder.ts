import {
  DemoCheckRun,
  DemoComment,
  DemoCommit,
  DemoPull,
  DemoRelease,
  DemoRepository,
  DemoReview,
} from '../fixtures/schema';
import { relativeTime } from '../fixtures/relativeTime';
import { IdSource } from './checks';
import { hexId } from './random';
import { DEMO_ORG } from './story';

/**
 * Collects one demo repository's GitHub state: commits with deterministic
 * shas (derived from the seed and a label, so a re-run gives the same
 * ones), pull requests, reviews, comments, check runs and releases, with
 * ids in GitHub's ranges. `build()` returns the fixture.
 */
export class RepositoryBuilder implements IdSource {
  private readonly commits = new Map<string, DemoCommit & { ago: number }>();
  readonly pulls: DemoPull[] = [];
  readonly reviews: DemoReview[] = [];
  readonly comments: DemoComment[] = [];
  readonly checkRuns: DemoCheckRun[] = [];
  readonly releases: DemoRelease[] = [];
  readonly branches: Record<string, string> = {};
  readonly contents: Record<string, string> = {};
  readonly attestations: DemoRepository['attestations'] = [];
  private readonly counters = new Map<string, number>();

  constructor(
    readonly seed: string,
    readonly name: string,
    /** Position of the repository in the organisation, for its id ranges. */
    readonly index: number,
  ) {}

  get id() {
    return 812_000_000 + this.index * 1_117;
  }

  next(
    kind:
      | 'check'
      | 'run'
      | 'review'
      | 'comment'
      | 'release'
      | 'asset'
      | 'attestation',
  ): number {
    const bases: Record<string, number> = {
      check: 29_400_000_000,
      run: 11_800_000_000,
      review: 2_410_000_000,
      comment: 2_730_000_000,
      release: 183_000_000,
      asset: 241_000_000,
      attestation: 9_100_000,
    };
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return bases[kind] + this.index * 100_000 + n * 7;
  }

  pullId(number: number) {
    return 1_950_000_000 + this.index * 10_000 + number;
  }

  /** Adds a commit; its sha is derived from `label`, unique in the repository. */
  commit(options: {
    label: string;
    message: string;
    author: string;
    ago: number;
    parents: string[];
  }): string {
    const sha = hexId(this.seed, `${DEMO_ORG}/${this.name}:${options.label}`);
    if (this.commits.has(sha)) {
      throw new Error(
        `commit label ${options.label} used twice in ${this.name}`,
      );
    }
    this.commits.set(sha, {
      sha,
      message: options.message,
      author: options.author,
      at: relativeTime(options.ago),
      ago: options.ago,
      parents: options.parents,
    });
    return sha;
  }

  /** Minutes ago of a commit added before. */
  agoOf(sha: string): number {
    const commit = this.commits.get(sha);
    if (!commit) throw new Error(`no commit ${sha} in ${this.name}`);
    return commit.ago;
  }

  setParents(sha: string, parents: string[]) {
    this.commits.get(sha)!.parents = parents;
  }

  build(options: {
    description: string;
    createdAgo: number;
    protection: DemoRepository['protection'];
  }): DemoRepository {
    const byAgo =
      <T>(ago: (t: T) => number) =>
      (a: T, b: T) =>
        ago(b) - ago(a);
    return {
      id: this.id,
      owner: DEMO_ORG,
      name: this.name,
      description: options.description,
      private: true,
      defaultBranch: 'main',
      createdAt: relativeTime(options.createdAgo),
      commits: [...this.commits.values()]
        .sort(byAgo(c => c.ago))
        .map(({ ago: _ago, ...commit }) => commit),
      branches: Object.fromEntries(
        Object.entries(this.branches).sort(([a], [b]) => a.localeCompare(b)),
      ),
      pulls: [...this.pulls].sort((a, b) => a.number - b.number),
      reviews: [...this.reviews].sort((a, b) => a.id - b.id),
      comments: [...this.comments].sort((a, b) => a.id - b.id),
      checkRuns: [...this.checkRuns].sort((a, b) => a.id - b.id),
      protection: options.protection,
      releases: [...this.releases].sort((a, b) => a.id - b.id),
      attestations: this.attestations,
      contents: this.contents,
    };
  }
}
