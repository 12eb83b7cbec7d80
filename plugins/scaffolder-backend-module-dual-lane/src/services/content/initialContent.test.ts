import { ConfigReader } from '@backstage/config';
import {
  protectionRulesFor,
  readScaffolderSettings,
} from '../config/readScaffolderConfig';
import { ContentFile } from './gitObjects';
import { checkDualLaneContent } from './initialContent';

const file = (path: string, text: string): ContentFile => ({
  path,
  content: Buffer.from(text),
  mode: '100644',
});

const FILES = [
  file('AGENTS.md', '# a\n'),
  file('CLAUDE.md', '# c\n'),
  file(
    'catalog-info.yaml',
    'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n  annotations:\n    github.com/project-slug: acme/svc\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/team\n',
  ),
  file(
    '.github/workflows/gate.yml',
    'name: Gate\non: pull_request\njobs:\n  gate:\n    name: Gate job\n    runs-on: ubuntu-latest\n    steps: [{ run: "true" }]\n',
  ),
];

const expect_ =
  (
    requiredChecks: Array<{ appId?: number; appSlug?: string }>,
    actionsAppId?: number,
  ) =>
  () =>
    checkDualLaneContent(FILES, {
      owner: 'acme',
      repo: 'svc',
      catalogInfoPath: 'catalog-info.yaml',
      requiredChecks: requiredChecks.map(c => ({
        name: 'Other / Missing job',
        context: 'Missing job',
        ...c,
      })),
      actionsAppId,
    });

describe('checkDualLaneContent: which checks a workflow job must produce', () => {
  it("requires a job for a check pinned to the host's GitHub Actions app", () => {
    expect(expect_([{ appId: 15368 }], 15368)).toThrow(
      /required check 'Missing job'.*is not the name of any workflow job/,
    );
    // A GitHub Enterprise Server whose Actions app id is configured.
    expect(expect_([{ appId: 3 }], 3)).toThrow(
      /is not the name of any workflow job/,
    );
  });

  it('does not for a check another app reports', () => {
    expect(expect_([{ appId: 42 }], 15368)).not.toThrow();
    expect(expect_([{ appId: 42, appSlug: 'circleci' }])).not.toThrow();
  });

  it("fails closed where Actions' app id on the host is unknown", () => {
    expect(expect_([{ appId: 15368 }])).toThrow(
      /appSlug, or dualLane.scaffolder.actionsApps for this host/,
    );
    expect(expect_([{ appId: 7, appSlug: 'github-actions' }])).toThrow(
      /is not the name of any workflow job/,
    );
  });
});

describe('dualLane.scaffolder.actionsApps', () => {
  it("knows github.com's and reads others per host", () => {
    const settings = readScaffolderSettings(
      new ConfigReader({
        dualLane: {
          scaffolder: {
            actionsApps: [{ host: 'GHE.example.com', appId: 3 }],
          },
        },
      }),
    );
    expect([...settings.actionsAppIds]).toEqual([
      ['github.com', 15368],
      ['ghe.example.com', 3],
    ]);
    expect(() =>
      readScaffolderSettings(
        new ConfigReader({
          dualLane: { scaffolder: { actionsApps: [{ host: 'x', appId: 0 }] } },
        }),
      ),
    ).toThrow(/actionsApps\[0\] needs a host and a positive integer appId/);
  });
});

describe('protectionRulesFor', () => {
  const contexts = (config: object, host = 'github.com') =>
    protectionRulesFor(
      readScaffolderSettings(new ConfigReader(config)),
      host,
    ).requiredChecks.map(c => [c.context, c.appId]);

  it('requires the drift check, pinned to GitHub Actions where its id is known', () => {
    expect(contexts({}).slice(-1)).toEqual([
      ['Check AGENTS.md vs CLAUDE.md', 15368],
    ]);
    expect(contexts({}, 'ghe.example.com').slice(-1)).toEqual([
      ['Check AGENTS.md vs CLAUDE.md', undefined],
    ]);
  });

  it('leaves it out when turned off', () => {
    expect(
      contexts({ dualLane: { scaffolder: { requireDriftCheck: false } } }),
    ).toHaveLength(4);
  });
});
