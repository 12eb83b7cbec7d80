import { Flex, Text } from '@backstage/ui';
import { ReactNode } from 'react';

/** Label/value pairs laid out in a wrapping row. */
export function Facts(props: {
  items: Array<{ label: string; value: ReactNode; hidden?: boolean }>;
}) {
  return (
    <Flex gap="5" style={{ flexWrap: 'wrap' }}>
      {props.items
        .filter(item => !item.hidden)
        .map(item => (
          <Flex key={item.label} direction="column" gap="1">
            <Text variant="body-x-small" color="secondary">
              {item.label}
            </Text>
            <Text as="div" variant="body-small">
              {item.value}
            </Text>
          </Flex>
        ))}
    </Flex>
  );
}

/** A stat tile: a big number with what it counts. */
export function Stat(props: {
  label: string;
  value: ReactNode;
  hint?: string;
}) {
  return (
    <Flex direction="column" gap="1" style={{ minWidth: 110 }}>
      <Text variant="title-medium" weight="bold">
        {props.value}
      </Text>
      <Text variant="body-small" color="secondary">
        {props.label}
      </Text>
      {props.hint && (
        <Text variant="body-x-small" color="secondary">
          {props.hint}
        </Text>
      )}
    </Flex>
  );
}

/** Monospaced text, e.g. digests and commit ids. */
export function Mono(props: { children: ReactNode; title?: string }) {
  return (
    <code
      title={props.title}
      style={{
        fontFamily: 'var(--bui-font-monospace, monospace)',
        fontSize: '0.9em',
        wordBreak: 'break-all',
      }}
    >
      {props.children}
    </code>
  );
}
