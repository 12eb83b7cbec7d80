import { CertificateFacts } from './certificateFacts';

/*
 * The builder id in SLSA provenance is written by the workflow, so on its
 * own it proves nothing about how the artifact was built. For keyless
 * signatures the signing certificate (which the workflow cannot forge)
 * decides, as slsa-verifier does:
 *
 * - a reusable-workflow builder (`https://github.com/<owner>/<repo>/.github/workflows/<file>@<ref>`,
 *   e.g. the SLSA generator) must be the workflow that signed: the
 *   certificate's Build Signer URI (OID .9; its SAN on older certificates)
 *   equals the builder id;
 * - GitHub's hosted-runner builder (`https://github.com/actions/runner/github-hosted`)
 *   needs the certificate's runner environment (OID .11) `github-hosted`.
 *
 * A certificate that contradicts the claim fails the provenance. A builder
 * the certificate cannot speak for (a custom id, or a certificate without
 * the extension) is unconfirmed: the provenance can still verify, at build
 * level 0.
 */

export const GITHUB_HOSTED_RUNNER_BUILDER =
  'https://github.com/actions/runner/github-hosted';

const REUSABLE_WORKFLOW =
  /^https:\/\/github\.com\/[^/]+\/[^/]+\/\.github\/workflows\/[^@]+@/;

export type BuilderBinding =
  | { confirmed: true; by: string }
  | { confirmed: false; note: string }
  | { contradicted: string };

export function bindBuilder(
  builderId: string,
  certificate: CertificateFacts,
): BuilderBinding {
  if (REUSABLE_WORKFLOW.test(builderId)) {
    const signer =
      certificate.buildSignerUri ?? certificate.subjectAlternativeName;
    const field = certificate.buildSignerUri
      ? 'Build Signer URI'
      : 'subject alternative name';
    if (!signer) {
      return {
        confirmed: false,
        note: `the signing certificate names no workflow that signed, so builder '${builderId}' is unconfirmed: build level 0`,
      };
    }
    if (signer !== builderId) {
      return {
        contradicted: `builder '${builderId}' did not sign this provenance: the signing certificate's ${field} is '${signer}' (a workflow can write any builder id; only the reusable workflow that ran can sign as it)`,
      };
    }
    return {
      confirmed: true,
      by: certificate.buildSignerUri
        ? 'build signer URI (OID 1.3.6.1.4.1.57264.1.9)'
        : 'subject alternative name',
    };
  }
  if (builderId === GITHUB_HOSTED_RUNNER_BUILDER) {
    const environment = certificate.runnerEnvironment;
    if (environment === undefined) {
      return {
        confirmed: false,
        note: `the signing certificate has no runner environment (OID 1.3.6.1.4.1.57264.1.11), so builder '${builderId}' is unconfirmed: build level 0`,
      };
    }
    if (environment !== 'github-hosted') {
      return {
        contradicted: `builder '${builderId}' is not confirmed by the signing certificate, whose runner environment is '${environment}'`,
      };
    }
    return {
      confirmed: true,
      by: 'runner environment (OID 1.3.6.1.4.1.57264.1.11)',
    };
  }
  return {
    confirmed: false,
    note: `a keyless signature cannot confirm builder '${builderId}' (only reusable GitHub workflows and the GitHub-hosted runner can be bound to a certificate): build level 0`,
  };
}
