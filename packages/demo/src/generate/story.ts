/*
 * The demo organisation and the story its data tells. Most components pass
 * every go/no-go criterion; six fail one for a reason a platform team
 * recognises, and one is too new to have data. The generator turns each
 * component's scenario into GitHub history and a signed supply chain.
 */

import { GITHUB_APPS } from '../fixtures/schema';

export const DEMO_HOST = 'github.demo.internal';
export const DEMO_ORG = 'acme';

/** GitHub logins of the lanes' agents and the CI app. */
export const BUILDER = 'codex-builder[bot]';
export const ENFORCER = 'claude-enforcer[bot]';
export const SUPERVISOR = 'plan-supervisor[bot]';
export const ACTIONS_BOT = 'github-actions[bot]';
/** GitHub Actions' app on the demo host, which reports every gate. */
export const ACTIONS_APP = GITHUB_APPS['github-actions'];

export type Scenario =
  /** Every criterion passes. */
  | 'go'
  /** The release pipeline ships an unsigned artifact; the SLSA gate fails on pull requests since. */
  | 'failing-slsa-gate'
  /** The newest release's provenance is an older build's, validly signed. */
  | 'replayed-provenance'
  /** Its policies.tar.gz release asset was replaced after signing (Enforce → Audit); production admitted bad pods. */
  | 'tampered-policy'
  /** CLAUDE.md no longer agrees with AGENTS.md on a threshold and a gate name. */
  | 'drift'
  /** The auto-label workflow broke: lane labels do not match the lane state. */
  | 'wrong-labels'
  /** A pull request went through four builder → enforcer → supervisor rounds. */
  | 'rework'
  /** Onboarded today: a repository, but no pull request or release yet. */
  | 'no-data';

export interface DemoGroupDefinition {
  name: string;
  title: string;
  type: 'organization' | 'department' | 'team';
  description: string;
  parent?: string;
}

export interface DemoUserDefinition {
  name: string;
  displayName: string;
  /** GitHub login on the demo host. */
  github: string;
  memberOf: string[];
}

export interface DemoSystemDefinition {
  name: string;
  title: string;
  description: string;
  owner: string;
}

export interface ChangeIdea {
  slug: string;
  title: string;
  /** A file the change touches, for changes.patch. */
  file: string;
}

export interface DemoComponentDefinition {
  name: string;
  title: string;
  description: string;
  type: 'service' | 'website' | 'library';
  lifecycle: 'production' | 'experimental';
  system: string;
  owner: string;
  scenario: Scenario;
  /** Who merges the component's pull requests (a GitHub login). */
  maintainer: string;
  /** Signed through GitHub artifact attestations instead of a `.sigstore.json` asset. */
  attestations?: boolean;
  /** Publishes the organisation's signed policy bundle, which every policy gate verifies. */
  orgPolicies?: boolean;
  changes: ChangeIdea[];
}

export const GROUPS: DemoGroupDefinition[] = [
  {
    name: 'engineering',
    title: 'Acme Engineering',
    type: 'organization',
    description: 'Everyone who builds and runs Acme software',
  },
  {
    name: 'commerce',
    title: 'Commerce',
    type: 'department',
    description: 'Payments, storefront and fulfilment',
    parent: 'engineering',
  },
  {
    name: 'platform',
    title: 'Platform',
    type: 'department',
    description: 'Identity and the software supply chain',
    parent: 'engineering',
  },
  {
    name: 'payments-team',
    title: 'Payments',
    type: 'team',
    description: 'Payment intents, the ledger and fraud scoring',
    parent: 'commerce',
  },
  {
    name: 'storefront-team',
    title: 'Storefront',
    type: 'team',
    description: 'The web shop, cart, search and recommendations',
    parent: 'commerce',
  },
  {
    name: 'fulfilment-team',
    title: 'Fulfilment',
    type: 'team',
    description: 'Orders, inventory and shipping',
    parent: 'commerce',
  },
  {
    name: 'identity-team',
    title: 'Identity',
    type: 'team',
    description: 'Sign-in, customer profiles and loyalty',
    parent: 'platform',
  },
  {
    name: 'supply-chain-team',
    title: 'Supply chain',
    type: 'team',
    description:
      'Policies, signing and the dual-lane workflow; owns the dual-lane repository template',
    parent: 'platform',
  },
];

export const USERS: DemoUserDefinition[] = [
  {
    name: 'priya.nair',
    displayName: 'Priya Nair',
    github: 'priya-nair',
    memberOf: ['payments-team'],
  },
  {
    name: 'marco.rossi',
    displayName: 'Marco Rossi',
    github: 'marco-rossi',
    memberOf: ['payments-team'],
  },
  {
    name: 'tom.becker',
    displayName: 'Tom Becker',
    github: 'tom-becker',
    memberOf: ['storefront-team'],
  },
  {
    name: 'sara.lind',
    displayName: 'Sara Lind',
    github: 'sara-lind',
    memberOf: ['storefront-team'],
  },
  {
    name: 'ines.garcia',
    displayName: 'Inés García',
    github: 'ines-garcia',
    memberOf: ['fulfilment-team'],
  },
  {
    name: 'kwame.mensah',
    displayName: 'Kwame Mensah',
    github: 'kwame-mensah',
    memberOf: ['identity-team'],
  },
  {
    name: 'mei.lin',
    displayName: 'Mei Lin',
    github: 'mei-lin',
    memberOf: ['supply-chain-team'],
  },
  {
    name: 'jonas.weber',
    displayName: 'Jonas Weber',
    github: 'jonas-weber',
    memberOf: ['supply-chain-team'],
  },
  // The guest sign-in's user, so that a visitor belongs somewhere.
  {
    name: 'guest',
    displayName: 'Guest',
    github: 'guest',
    memberOf: ['supply-chain-team'],
  },
];

export const SYSTEMS: DemoSystemDefinition[] = [
  {
    name: 'payments',
    title: 'Payments',
    description: 'Taking money, keeping books, stopping fraud',
    owner: 'payments-team',
  },
  {
    name: 'storefront',
    title: 'Storefront',
    description: 'What shoppers see and use',
    owner: 'storefront-team',
  },
  {
    name: 'orders',
    title: 'Orders',
    description: 'From checkout to the doorstep',
    owner: 'fulfilment-team',
  },
  {
    name: 'customer-identity',
    title: 'Customer identity',
    description: 'Accounts, sign-in and loyalty',
    owner: 'identity-team',
  },
  {
    name: 'delivery-platform',
    title: 'Delivery platform',
    description: 'Policies and pipelines every team ships through',
    owner: 'supply-chain-team',
  },
];

const c = (slug: string, title: string, file: string): ChangeIdea => ({
  slug,
  title,
  file,
});

export const COMPONENTS: DemoComponentDefinition[] = [
  {
    name: 'payments-api',
    title: 'Payments API',
    description: 'Creates and confirms payment intents for the storefront',
    type: 'service',
    lifecycle: 'production',
    system: 'payments',
    owner: 'payments-team',
    scenario: 'go',
    maintainer: 'priya-nair',
    changes: [
      c(
        'idempotency-keys',
        'Accept idempotency keys on payment intents',
        'src/intents/create.ts',
      ),
      c(
        'refund-webhooks',
        'Send refund webhooks with retries',
        'src/webhooks/refunds.ts',
      ),
      c(
        'currency-rounding',
        'Round JPY and KRW amounts without minor units',
        'src/money/round.ts',
      ),
      c(
        'pci-log-redaction',
        'Redact card numbers from request logs',
        'src/logging/redact.ts',
      ),
      c(
        'sca-exemptions',
        'Apply SCA low-value exemptions',
        'src/sca/exemptions.ts',
      ),
      c(
        'timeout-budget',
        'Give acquirer calls a shared timeout budget',
        'src/acquirers/client.ts',
      ),
      c(
        'intent-expiry',
        'Expire unconfirmed intents after 24 hours',
        'src/intents/expiry.ts',
      ),
    ],
  },
  {
    name: 'payments-ledger',
    title: 'Payments ledger',
    description: 'Double-entry ledger of every payment, refund and payout',
    type: 'service',
    lifecycle: 'production',
    system: 'payments',
    owner: 'payments-team',
    scenario: 'failing-slsa-gate',
    maintainer: 'marco-rossi',
    changes: [
      c(
        'payout-batches',
        'Post payouts in daily batches',
        'src/payouts/batch.ts',
      ),
      c(
        'fx-revaluation',
        'Revalue foreign-currency balances at month end',
        'src/fx/revalue.ts',
      ),
      c(
        'journal-archive',
        'Archive closed journals to cold storage',
        'src/journal/archive.ts',
      ),
      c(
        'balance-snapshots',
        'Snapshot account balances hourly',
        'src/balances/snapshot.ts',
      ),
      c(
        'chargeback-entries',
        'Book chargebacks as reversing entries',
        'src/entries/chargebacks.ts',
      ),
      c(
        'ledger-audit-export',
        'Export the audit trail for the auditors',
        'src/audit/export.ts',
      ),
    ],
  },
  {
    name: 'fraud-scoring',
    title: 'Fraud scoring',
    description: 'Scores payments for fraud risk before capture',
    type: 'service',
    lifecycle: 'production',
    system: 'payments',
    owner: 'payments-team',
    scenario: 'replayed-provenance',
    maintainer: 'priya-nair',
    changes: [
      c('velocity-rules', 'Add card velocity rules', 'rules/velocity.yaml'),
      c(
        'device-fingerprint',
        'Score device fingerprints',
        'src/features/device.ts',
      ),
      c('model-v7', 'Roll out scoring model v7', 'models/manifest.json'),
      c(
        'manual-review-queue',
        'Route grey-zone scores to manual review',
        'src/review/queue.ts',
      ),
      c(
        'bin-country-check',
        'Flag BIN and IP country mismatches',
        'src/features/geo.ts',
      ),
      c(
        'score-explanations',
        'Explain the top three score factors',
        'src/explain/factors.ts',
      ),
    ],
  },
  {
    name: 'checkout-web',
    title: 'Checkout web',
    description: 'The checkout pages of the web shop',
    type: 'website',
    lifecycle: 'production',
    system: 'storefront',
    owner: 'storefront-team',
    scenario: 'tampered-policy',
    maintainer: 'tom-becker',
    changes: [
      c(
        'address-autocomplete',
        'Autocomplete delivery addresses',
        'src/checkout/Address.tsx',
      ),
      c(
        'wallet-buttons',
        'Show wallet buttons above the card form',
        'src/checkout/Wallets.tsx',
      ),
      c(
        'guest-checkout',
        'Let guests check out without an account',
        'src/checkout/Guest.tsx',
      ),
      c(
        'order-summary-a11y',
        'Make the order summary screen-reader friendly',
        'src/checkout/Summary.tsx',
      ),
      c(
        'promo-codes',
        'Validate promo codes as they are typed',
        'src/checkout/Promo.tsx',
      ),
      c('csp-nonces', 'Serve inline scripts with CSP nonces', 'server/csp.ts'),
    ],
  },
  {
    name: 'cart-service',
    title: 'Cart service',
    description: 'Shopping carts, prices and reservations',
    type: 'service',
    lifecycle: 'production',
    system: 'storefront',
    owner: 'storefront-team',
    scenario: 'go',
    maintainer: 'sara-lind',
    changes: [
      c(
        'cart-merge',
        'Merge a guest cart into the account cart at sign-in',
        'src/cart/merge.ts',
      ),
      c(
        'price-locks',
        'Lock prices for 15 minutes at checkout',
        'src/pricing/locks.ts',
      ),
      c(
        'stock-reservations',
        'Reserve stock while the cart is open',
        'src/stock/reserve.ts',
      ),
      c('bundle-discounts', 'Apply bundle discounts', 'src/pricing/bundles.ts'),
      c('cart-ttl', 'Drop abandoned carts after 30 days', 'src/cart/ttl.ts'),
      c(
        'tax-estimates',
        'Estimate tax before the address is known',
        'src/tax/estimate.ts',
      ),
    ],
  },
  {
    name: 'catalog-search',
    title: 'Catalog search',
    description: 'Product search with typo tolerance and facets',
    type: 'service',
    lifecycle: 'production',
    system: 'storefront',
    owner: 'storefront-team',
    scenario: 'go',
    maintainer: 'tom-becker',
    changes: [
      c('synonyms', 'Load merchandiser synonyms', 'config/synonyms.txt'),
      c(
        'facet-counts',
        'Return facet counts for size and colour',
        'src/search/facets.ts',
      ),
      c(
        'typo-tolerance',
        'Tolerate one typo in short queries',
        'src/search/fuzzy.ts',
      ),
      c(
        'index-rebuild',
        'Rebuild the index without downtime',
        'src/index/rebuild.ts',
      ),
      c(
        'query-suggestions',
        'Suggest queries from popular searches',
        'src/search/suggest.ts',
      ),
      c('stock-boost', 'Rank in-stock products first', 'src/search/rank.ts'),
    ],
  },
  {
    name: 'recommendations',
    title: 'Recommendations',
    description: 'Personalised product recommendations',
    type: 'service',
    lifecycle: 'production',
    system: 'storefront',
    owner: 'storefront-team',
    scenario: 'rework',
    maintainer: 'sara-lind',
    changes: [
      c(
        'cold-start',
        'Recommend bestsellers to new visitors',
        'src/recs/coldStart.ts',
      ),
      c(
        'embedding-refresh',
        'Refresh product embeddings nightly',
        'jobs/embeddings.py',
      ),
      c(
        'diversity-rerank',
        'Re-rank for brand diversity',
        'src/recs/diversity.ts',
      ),
      c(
        'consent-filter',
        'Honour the personalisation opt-out',
        'src/privacy/consent.ts',
      ),
      c(
        'similar-items',
        'Show similar items on product pages',
        'src/recs/similar.ts',
      ),
      c(
        'ab-buckets',
        'Bucket visitors for recommendation experiments',
        'src/experiments/buckets.ts',
      ),
    ],
  },
  {
    name: 'order-history',
    title: 'Order history',
    description: 'Past orders, invoices and returns for customers',
    type: 'service',
    lifecycle: 'production',
    system: 'orders',
    owner: 'fulfilment-team',
    scenario: 'drift',
    maintainer: 'ines-garcia',
    changes: [
      c('invoice-pdf', 'Render invoices as PDF/A', 'src/invoices/pdf.ts'),
      c(
        'returns-status',
        'Show the status of returns',
        'src/returns/status.ts',
      ),
      c(
        'order-search',
        'Search orders by product name',
        'src/orders/search.ts',
      ),
      c(
        'gdpr-erasure',
        'Erase order history on account deletion',
        'src/privacy/erase.ts',
      ),
      c(
        'pagination-cursor',
        'Page order lists with cursors',
        'src/orders/list.ts',
      ),
      c(
        'reorder',
        'Reorder a past order in one click',
        'src/orders/reorder.ts',
      ),
    ],
  },
  {
    name: 'inventory-service',
    title: 'Inventory service',
    description: 'Stock levels per warehouse',
    type: 'service',
    lifecycle: 'production',
    system: 'orders',
    owner: 'fulfilment-team',
    scenario: 'wrong-labels',
    maintainer: 'ines-garcia',
    changes: [
      c(
        'cycle-counts',
        'Record cycle counts from handhelds',
        'src/counts/cycle.ts',
      ),
      c(
        'safety-stock',
        'Compute safety stock per SKU',
        'src/planning/safety.ts',
      ),
      c(
        'warehouse-transfer',
        'Move stock between warehouses',
        'src/transfers/create.ts',
      ),
      c('backorder-flags', 'Flag backorderable SKUs', 'src/sku/backorder.ts'),
      c('stock-events', 'Publish stock change events', 'src/events/stock.ts'),
      c(
        'negative-stock-guard',
        'Refuse reservations that would go negative',
        'src/stock/guard.ts',
      ),
    ],
  },
  {
    name: 'shipping-quotes',
    title: 'Shipping quotes',
    description: 'Carrier rates and delivery promises',
    type: 'service',
    lifecycle: 'production',
    system: 'orders',
    owner: 'fulfilment-team',
    scenario: 'go',
    maintainer: 'ines-garcia',
    changes: [
      c(
        'carrier-fallback',
        'Fall back to a second carrier on timeouts',
        'src/carriers/fallback.ts',
      ),
      c(
        'delivery-windows',
        'Quote two-hour delivery windows',
        'src/quotes/windows.ts',
      ),
      c(
        'dimensional-weight',
        'Price by dimensional weight',
        'src/quotes/weight.ts',
      ),
      c(
        'rate-cache',
        'Cache carrier rates for ten minutes',
        'src/carriers/cache.ts',
      ),
      c(
        'holiday-calendar',
        'Skip carrier holidays in delivery promises',
        'src/calendar/holidays.ts',
      ),
      c('pickup-points', 'Offer pickup points', 'src/quotes/pickup.ts'),
    ],
  },
  {
    name: 'auth-gateway',
    title: 'Auth gateway',
    description: 'OIDC sign-in and session tokens for every customer app',
    type: 'service',
    lifecycle: 'production',
    system: 'customer-identity',
    owner: 'identity-team',
    scenario: 'go',
    maintainer: 'kwame-mensah',
    changes: [
      c('passkeys', 'Sign in with passkeys', 'src/webauthn/register.ts'),
      c(
        'refresh-rotation',
        'Rotate refresh tokens on use',
        'src/tokens/refresh.ts',
      ),
      c(
        'rate-limit-login',
        'Rate-limit failed sign-ins per account',
        'src/login/limits.ts',
      ),
      c(
        'session-revocation',
        'Revoke sessions on password change',
        'src/sessions/revoke.ts',
      ),
      c(
        'jwks-rollover',
        'Roll signing keys with overlapping JWKS',
        'src/keys/rollover.ts',
      ),
      c(
        'pkce-required',
        'Require PKCE for public clients',
        'src/oauth/pkce.ts',
      ),
    ],
  },
  {
    name: 'user-profile',
    title: 'User profile',
    description: 'Customer profiles, addresses and preferences',
    type: 'service',
    lifecycle: 'production',
    system: 'customer-identity',
    owner: 'identity-team',
    scenario: 'go',
    maintainer: 'kwame-mensah',
    changes: [
      c(
        'address-book',
        'Keep several delivery addresses',
        'src/addresses/book.ts',
      ),
      c(
        'email-verification',
        'Verify changed e-mail addresses',
        'src/email/verify.ts',
      ),
      c(
        'marketing-consent',
        'Record marketing consent with its source',
        'src/consent/record.ts',
      ),
      c(
        'profile-export',
        'Export a profile as JSON on request',
        'src/privacy/export.ts',
      ),
      c(
        'locale-preference',
        'Remember the preferred language',
        'src/preferences/locale.ts',
      ),
      c('avatar-resize', 'Resize uploaded avatars', 'src/avatars/resize.ts'),
    ],
  },
  {
    name: 'loyalty-points',
    title: 'Loyalty points',
    description: 'Points for purchases, redeemed at checkout (onboarded today)',
    type: 'service',
    lifecycle: 'experimental',
    system: 'customer-identity',
    owner: 'identity-team',
    scenario: 'no-data',
    maintainer: 'kwame-mensah',
    changes: [],
  },
  {
    name: 'kyverno-policies',
    title: 'Kyverno policies',
    description:
      "The organisation's admission policies, released as the signed policies.tar.gz every policy gate verifies",
    type: 'library',
    lifecycle: 'production',
    system: 'delivery-platform',
    owner: 'supply-chain-team',
    scenario: 'go',
    maintainer: 'mei-lin',
    orgPolicies: true,
    changes: [
      c(
        'require-digest-init',
        'Require digests for init containers too',
        'policies/require-digest.yaml',
      ),
      c(
        'slsa-level-2',
        'Require SLSA build level 2 provenance',
        'policies/require-slsa.yaml',
      ),
      c(
        'signer-allowlist',
        'Allow only the organisation release workflows as signers',
        'policies/require-signed-images.yaml',
      ),
      c(
        'exclude-system-ns',
        'Exempt kube-system from image policies',
        'policies/require-signed-images.yaml',
      ),
      c(
        'policy-tests',
        'Test every policy against good and bad pods',
        'tests/policies/kyverno-test.yaml',
      ),
      c(
        'audit-annotations',
        'Annotate admitted pods with the policy version',
        'policies/require-slsa.yaml',
      ),
    ],
  },
  {
    name: 'events-pipeline',
    title: 'Events pipeline',
    description: 'Streams business events into the warehouse',
    type: 'service',
    lifecycle: 'production',
    system: 'delivery-platform',
    owner: 'supply-chain-team',
    scenario: 'go',
    maintainer: 'jonas-weber',
    attestations: true,
    changes: [
      c(
        'schema-registry',
        'Validate events against the schema registry',
        'src/schemas/validate.ts',
      ),
      c(
        'dead-letter',
        'Park undeliverable events in a dead-letter topic',
        'src/consumers/deadLetter.ts',
      ),
      c(
        'exactly-once',
        'Write to the warehouse exactly once',
        'src/sinks/warehouse.ts',
      ),
      c('pii-tagging', 'Tag PII fields for masking', 'src/schemas/pii.ts'),
      c('lag-alerts', 'Alert on consumer lag', 'src/metrics/lag.ts'),
      c(
        'backfill-tool',
        'Backfill a topic from object storage',
        'tools/backfill.ts',
      ),
    ],
  },
];

/** A component without `github.com/project-slug`: not part of dual-lane. */
export const LEGACY_COMPONENT = {
  name: 'legacy-billing-portal',
  title: 'Legacy billing portal',
  description:
    'The old invoicing portal, kept read-only until its migration; not built through dual-lane',
  type: 'website',
  lifecycle: 'deprecated',
  system: 'payments',
  owner: 'payments-team',
};
