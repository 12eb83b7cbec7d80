import {
  ARTIFACT_BUNDLE_OPTIONAL_ENTRIES,
  ARTIFACT_BUNDLE_REQUIRED_ENTRIES,
  ArtifactBundleContents,
} from '@dual-lane/plugin-dual-lane-common';
import { ArchiveError, readTarGz } from './archiveReader';
import { ArchiveLimits } from './config';
import { SbomResult, validateSbom } from './sbomValidator';

/** Facts about an artifact bundle, kept so re-verification needs no re-download. */
export interface ArtifactFacts {
  contents?: ArtifactBundleContents;
  sbom?: SbomResult;
  changesPatchDigest?: string;
  /** Why there is no usable Sigstore bundle. */
  bundleProblem?: string;
  /** Refused before reading: the signature is not checked. */
  rejectedReason?: string;
  /** merge-base.sha is present but holds no commit id. */
  mergeBaseProblem?: string;
}

/**
 * Why an artifact bundle cannot have its provenance checked: required
 * entries the replay and subject checks need are missing, or merge-base.sha
 * is unreadable. (A missing sbom.cdx.json fails the SBOM check.)
 */
export function incompleteBundleReason(
  facts: ArtifactFacts,
): string | undefined {
  const missing = (facts.contents?.missingEntries ?? []).filter(
    n => n !== 'sbom.cdx.json',
  );
  if (missing.length > 0) {
    return `artifact bundle is incomplete: ${missing.join(', ')} ${
      missing.length === 1 ? 'is' : 'are'
    } missing`;
  }
  return facts.mergeBaseProblem;
}

const KNOWN_ENTRIES = new Set<string>([
  ...ARTIFACT_BUNDLE_REQUIRED_ENTRIES,
  ...ARTIFACT_BUNDLE_OPTIONAL_ENTRIES,
]);

const HEX_COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** The facts of an artifact that was refused (unsafe archive, over a limit). */
export function rejectedArtifactFacts(reason: string): ArtifactFacts {
  return {
    contents: {
      entries: [],
      unknownEntries: [],
      missingEntries: [],
      rejectedReason: reason,
    },
    sbom: { outcome: 'failed', reason: `artifact bundle rejected: ${reason}` },
  };
}

/**
 * Reads an `artifact.tar.gz` in memory: its entries with digests, the SBOM
 * check, `attestation.intoto` and `merge-base.sha`. An unsafe archive is
 * not an error but facts saying why it was rejected.
 */
export async function readArtifactBundle(
  bytes: Buffer,
  limits: ArchiveLimits,
): Promise<{
  facts: ArtifactFacts;
  attestation?: string;
  mergeBaseSha?: string;
}> {
  try {
    const archive = await readTarGz(bytes, {
      limits,
      keep: name => KNOWN_ENTRIES.has(name),
    });
    const byName = new Map(archive.entries.map(e => [e.name, e]));
    const text = (name: string) => byName.get(name)?.content?.toString('utf8');
    const mergeBase = text('merge-base.sha')?.trim().toLowerCase();
    const contents: ArtifactBundleContents = {
      entries: archive.entries.map(e => ({
        name: e.name,
        sizeBytes: e.sizeBytes,
        digest: e.digest,
      })),
      unknownEntries: archive.unknownEntries,
      missingEntries: ARTIFACT_BUNDLE_REQUIRED_ENTRIES.filter(
        n => !byName.has(n),
      ),
    };
    const validMergeBase =
      mergeBase !== undefined && HEX_COMMIT.test(mergeBase);
    return {
      facts: {
        contents,
        sbom: validateSbom(byName.get('sbom.cdx.json')?.content),
        changesPatchDigest: byName.get('changes.patch')?.digest,
        mergeBaseProblem:
          mergeBase !== undefined && !validMergeBase
            ? `merge-base.sha is not a git commit id: '${mergeBase.slice(
                0,
                80,
              )}'`
            : undefined,
      },
      attestation: text('attestation.intoto'),
      mergeBaseSha: validMergeBase ? mergeBase : undefined,
    };
  } catch (error) {
    if (!(error instanceof ArchiveError)) throw error;
    return { facts: rejectedArtifactFacts(error.message) };
  }
}
