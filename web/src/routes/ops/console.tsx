// The operator console's landing page (tenants, notices and audit come with
// the administration work).
import { useTranslation } from 'react-i18next';
import { EmptyState, Page } from '../../components/Page';

export function Component() {
  const { t } = useTranslation();
  return (
    <Page title={t('ops.consoleTitle')} description={t('ops.consoleDescription')}>
      <EmptyState title={t('ops.consoleEmpty')} />
    </Page>
  );
}
