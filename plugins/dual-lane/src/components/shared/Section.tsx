import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
import { ReactNode } from 'react';

/** A titled card; `actions` sit on the right of the title. */
export function Section(props: {
  title: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <Flex justify="between" align="center" style={{ flexWrap: 'wrap' }}>
          <Flex direction="column" gap="1">
            <Text as="h2" variant="title-small" weight="bold">
              {props.title}
            </Text>
            {props.subtitle && (
              <Text variant="body-small" color="secondary">
                {props.subtitle}
              </Text>
            )}
          </Flex>
          {props.actions && (
            <Flex align="center" gap="2">
              {props.actions}
            </Flex>
          )}
        </Flex>
      </CardHeader>
      <CardBody>{props.children}</CardBody>
    </Card>
  );
}
