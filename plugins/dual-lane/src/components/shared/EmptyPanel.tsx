import { Box, Flex, Text } from '@backstage/ui';
import { ReactNode } from 'react';

/** What an empty view says: what is missing and what to do about it. */
export function EmptyPanel(props: { title: string; children?: ReactNode }) {
  return (
    <Box
      p="4"
      style={{
        border: '1px dashed var(--bui-border-2)',
        borderRadius: 'var(--bui-radius-3)',
      }}
    >
      <Flex direction="column" gap="2">
        <Text as="h3" variant="title-x-small" weight="bold">
          {props.title}
        </Text>
        {props.children}
      </Flex>
    </Box>
  );
}
