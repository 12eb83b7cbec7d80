import styles from './StatusChip.module.css';

/** The colour of a chip; every chip also says its status in words. */
export type StatusTone = 'success' | 'danger' | 'warning' | 'info' | 'neutral';

export interface StatusChipProps {
  tone: StatusTone;
  label: string;
  /** Longer text for a tooltip and screen readers, e.g. the reason. */
  description?: string;
  size?: 'small' | 'large';
}

/** A small pill with a status word in a colour that matches it. */
export function StatusChip(props: StatusChipProps) {
  const { tone, label, description, size = 'small' } = props;
  return (
    <span
      className={styles.chip}
      data-tone={tone}
      data-size={size}
      title={description}
    >
      {label}
    </span>
  );
}
