import { useTranslation } from 'react-i18next';

/** A spinner; with a label (default "Loading…") it is announced as a status. */
export function Spinner({ size = 'medium', label, decorative = false }: { size?: 'small' | 'medium'; label?: string; decorative?: boolean }) {
  const { t } = useTranslation();
  if (decorative) return <span className={`spinner spinner-${size}`} aria-hidden="true" />;
  return (
    <span role="status" className="spinner-wrap">
      <span className={`spinner spinner-${size}`} aria-hidden="true" />
      <span className="spinner-label">{label ?? t('common.loading')}</span>
    </span>
  );
}

/** The whole-page loading state. */
export function PageSpinner() {
  return (
    <div className="page-spinner">
      <Spinner />
    </div>
  );
}
