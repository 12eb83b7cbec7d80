/** An in-toto statement (v1, or v0.1 as older SLSA v0.2 tooling writes it). */
export interface InTotoStatement {
  _type: string;
  subject: Array<{ name?: string; digest: Record<string, string> }>;
  predicateType: string;
  predicate: Record<string, any>;
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const STATEMENT_TYPES = [
  'https://in-toto.io/Statement/v1',
  'https://in-toto.io/Statement/v0.1',
];

export class StatementError extends Error {
  name = 'StatementError';
}

/** Parses and shape-checks an in-toto statement; throws a StatementError saying what is wrong. */
export function parseStatement(payload: Buffer | string): InTotoStatement {
  let value: any;
  try {
    value = JSON.parse(payload.toString());
  } catch (error) {
    throw new StatementError(
      `in-toto statement is not JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new StatementError('in-toto statement is not a JSON object');
  }
  if (!STATEMENT_TYPES.includes(value._type)) {
    throw new StatementError(
      `in-toto statement _type '${value._type}' is not ${STATEMENT_TYPES.join(
        ' or ',
      )}`,
    );
  }
  if (
    !Array.isArray(value.subject) ||
    value.subject.length === 0 ||
    value.subject.some(
      (s: any) =>
        typeof s !== 'object' ||
        s === null ||
        typeof s.digest !== 'object' ||
        s.digest === null,
    )
  ) {
    throw new StatementError(
      'in-toto statement has no subject list with digests',
    );
  }
  if (typeof value.predicateType !== 'string') {
    throw new StatementError('in-toto statement has no predicateType');
  }
  if (typeof value.predicate !== 'object' || value.predicate === null) {
    throw new StatementError('in-toto statement has no predicate object');
  }
  return value as InTotoStatement;
}

/** `sha256:<hex>` digests the statement names as subjects, lower-cased. */
export function subjectDigests(statement: InTotoStatement): string[] {
  return statement.subject
    .map(s => s.digest.sha256)
    .filter((d): d is string => typeof d === 'string')
    .map(d => `sha256:${d.toLowerCase()}`);
}

/**
 * The content of `attestation.intoto`: a bare statement, a DSSE envelope
 * holding one, or a Sigstore bundle with a DSSE envelope.
 */
export function statementFromAttestationFile(text: string): InTotoStatement {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new StatementError(
      `attestation.intoto is not JSON: ${(error as Error).message}`,
    );
  }
  const envelope =
    value?.dsseEnvelope ?? (value?.payloadType ? value : undefined);
  if (envelope) {
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
      throw new StatementError(
        `attestation.intoto envelope payloadType '${envelope.payloadType}' is not ${IN_TOTO_PAYLOAD_TYPE}`,
      );
    }
    return parseStatement(
      Buffer.from(String(envelope.payload ?? ''), 'base64'),
    );
  }
  return parseStatement(text);
}
