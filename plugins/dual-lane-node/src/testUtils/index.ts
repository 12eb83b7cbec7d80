/**
 * Test utilities for code that verifies dual-lane supply-chain material: a
 * private, in-process Sigstore (CA with CT log, transparency log, timestamp
 * authority) that makes real keyless and key-based bundles against its own
 * trusted root, and builders of artifact bundles, SLSA statements, SBOMs and
 * policy bundles in the seed's formats (including hostile ones).
 *
 * @packageDocumentation
 */
export * from './testSigstore';
export * from './artifacts';
