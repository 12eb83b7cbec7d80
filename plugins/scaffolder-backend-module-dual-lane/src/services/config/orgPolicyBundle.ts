import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';

/**
 * The organisation's published, signed policy bundle the template's policy
 * gate verifies (`dualLane.scaffolder.orgPolicyBundle`): which repository
 * releases it, which asset, and who must have signed it. An organisation
 * decision, so it comes from config, not from template parameters.
 */
export interface OrgPolicyBundle {
  /** `owner/name` of the repository whose releases carry the bundle. */
  repository: string;
  /** Release asset name; its Sigstore bundle is `<asset>.sigstore.json`. */
  asset: string;
  /** A release tag to pin; absent: the latest release. */
  version?: string;
  /** The exact certificate identity (SAN) of the signer. */
  identity?: string;
  /** Or an anchored (`^...$`) regular expression for it. */
  identityRegexp?: string;
  /** OIDC issuer of the signer's certificate. */
  issuer: string;
}

const KEY = 'dualLane.scaffolder.orgPolicyBundle';
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
const ASSET = /^[A-Za-z0-9._-]+\.tar\.gz$/;

export function readOrgPolicyBundle(
  config: Config,
): OrgPolicyBundle | undefined {
  const c = config.getOptionalConfig(KEY);
  if (!c) return undefined;
  const problems: string[] = [];
  const repository = c.getString('repository').trim();
  if (!REPOSITORY.test(repository))
    problems.push(`repository must be owner/name, got '${repository}'`);
  const asset = c.getOptionalString('asset')?.trim() || 'policies.tar.gz';
  if (!ASSET.test(asset))
    problems.push(`asset must be a .tar.gz file name, got '${asset}'`);
  const identity = c.getOptionalString('identity')?.trim() || undefined;
  const identityRegexp =
    c.getOptionalString('identityRegexp')?.trim() || undefined;
  if (!identity === !identityRegexp) {
    problems.push('set exactly one of identity and identityRegexp');
  }
  if (identityRegexp) {
    // An unanchored pattern accepts any identity that merely contains it.
    if (!identityRegexp.startsWith('^') || !identityRegexp.endsWith('$')) {
      problems.push(
        `identityRegexp must be anchored with ^ and $, got '${identityRegexp}'`,
      );
    }
    try {
      // eslint-disable-next-line no-new
      new RegExp(identityRegexp);
    } catch (e) {
      problems.push(`identityRegexp is not a regular expression: ${e}`);
    }
  }
  const issuer =
    c.getOptionalString('issuer')?.trim() ||
    'https://token.actions.githubusercontent.com';
  if (!/^https:\/\/[^\s/]+/.test(issuer))
    problems.push(`issuer must be an https URL, got '${issuer}'`);
  const version = c.getOptionalString('version')?.trim() || undefined;
  if (problems.length) {
    throw new InputError(`${KEY} is invalid: ${problems.join('; ')}`);
  }
  return {
    repository,
    asset,
    ...(version && { version }),
    ...(identity && { identity }),
    ...(identityRegexp && { identityRegexp }),
    issuer,
  };
}
