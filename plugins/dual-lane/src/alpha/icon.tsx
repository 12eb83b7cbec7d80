import { RiGitMergeLine } from '@remixicon/react';

/** The plugin's icon: two lanes merging. */
export const DualLaneIcon = () => <RiGitMergeLine size="1em" />;
